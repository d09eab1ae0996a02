import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import { openDatabase } from '../storage/open-database.ts';
import { Journal } from './journal.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the journal', () => {
  it('keeps at most journal.maxEntries, dropping the oldest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'datasync-journal-'));
    dirs.push(dir);
    const db = openDatabase(dir);
    const journal = new Journal(db, new ManualClock(), 100);
    for (let i = 0; i < 1_000; i++)
      journal.record('auth:refused', { user: `u${i}`, reason: 'wrong password' });
    const entries = journal.list({ limit: 10_000 });
    expect(entries).toHaveLength(100);
    expect(entries[0]?.account).toBe('u900');
    db.close();
  });
});
