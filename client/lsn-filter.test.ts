import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/support/temp-dir.ts';
import { parseLsnList, readLsnFilter } from './lsn-filter.ts';

describe('LSN lists for --skip and --only', () => {
  it('take one LSN a line, or the first cell of a CSV or TAB line, and ignore headers and comments', () => {
    // LSNs (Alma MMS IDs) as Princeton's real BibCrossRefReport and write-back's CSV carry them.
    const text = [
      '\uFEFFlsn,kind,ocn,message',
      '9955256153506421,unresolved,1392646120,unresolved in WorldCat (provisional number)',
      '99125407254106421\t3268953',
      '"99110773983506421"',
      '',
      '# checked by hand',
      '  99118791183506421  ',
    ].join('\r\n');
    expect([...parseLsnList(text)]).toEqual([
      '9955256153506421',
      '99125407254106421',
      '99110773983506421',
      '99118791183506421',
    ]);
  });

  it('change a record in --only and not in --skip; refuse a list that names nobody', () => {
    using dir = tempDir();
    const only = join(dir.path, 'only.txt');
    const skip = join(dir.path, 'skip.txt');
    const empty = join(dir.path, 'empty.txt');
    writeFileSync(only, 'A\nB\n');
    writeFileSync(skip, 'B\nC\n');
    writeFileSync(empty, '# nothing\n');
    const both = readLsnFilter({ only, skip });
    expect(['A', 'B', 'C', 'D'].filter((lsn) => both.allows(lsn))).toEqual(['A']);
    expect(['A', 'B', 'C', 'D'].filter((lsn) => readLsnFilter({ skip }).allows(lsn))).toEqual(['A', 'D']);
    expect(() => readLsnFilter({ only: empty })).toThrow(/--only list holds no local system number/);
    expect(() => readLsnFilter({ skip: join(dir.path, 'missing.txt') })).toThrow(/missing\.txt/);
  });
});
