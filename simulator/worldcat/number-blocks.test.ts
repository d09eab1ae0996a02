import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { NumberBlocks } from './number-blocks.ts';

const counterDb = (): Database.Database => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID');
  return db;
};
const take = (blocks: NumberBlocks, n: number): number[] => Array.from({ length: n }, () => blocks.next());

describe('NumberBlocks', () => {
  it('numbers files one after another without gaps', () => {
    const db = counterDb();
    const first = new NumberBlocks(db, 'next_ocn', 100);
    expect(take(first, 3)).toEqual([100, 101, 102]);
    first.release();
    expect(take(new NumberBlocks(db, 'next_ocn', 100), 2)).toEqual([103, 104]);
  });

  it('never gives two files processed at once the same number', () => {
    const db = counterDb();
    const a = new NumberBlocks(db, 'next_ocn', 100);
    const b = new NumberBlocks(db, 'next_ocn', 100);
    const numbers = [...take(a, 1500), ...take(b, 1500), ...take(a, 10)];
    expect(new Set(numbers).size).toBe(numbers.length);
    a.release();
    b.release();
    const after = take(new NumberBlocks(db, 'next_ocn', 100), 1)[0] ?? 0;
    expect(after).toBeGreaterThan(Math.max(...numbers));
  });
});
