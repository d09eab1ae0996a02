import { describe, expect, it } from 'vitest';
import type { OperationEntry } from './operation-entry.ts';
import { parseJournalExpectation, verifyJournal } from './verify-journal.ts';

const BIB = '/xfer/metacoll/in/bib';
let id = 0;
const op = (operation: string, path: string, status = 'ok', message?: string): OperationEntry => ({
  id: ++id,
  at: id,
  operation,
  path,
  account: 'fx_pul',
  status,
  ...(message ? { message } : {}),
});

/** What OpenSSH's sftp does for `put f.mrc x.part` and `rename x.part <final>` (the journal's order). */
const session = (finalName: string, status = 'ok'): OperationEntry[] => [
  op('login', ''),
  op('realpath', '/xfer'),
  op('stat', BIB),
  op('opendir', BIB),
  op('readdir', BIB),
  op('open', `${BIB}/x.part`),
  op('write', `${BIB}/x.part`),
  op('close', `${BIB}/x.part`),
  op('posix-rename', `${BIB}/${finalName}`, status, status === 'ok' ? undefined : 'the name was refused'),
];

const verify = (entries: OperationEntry[], expectation: unknown) =>
  verifyJournal(entries, parseJournalExpectation(expectation));

describe('verifyJournal near misses', () => {
  it('name the entries that share something with the expectation, not the noise of every session', () => {
    const result = verify(session('1012676.pul.x.xml'), {
      match: { operation: 'posix-rename', path: '*.mrc' },
      count: 1,
    });
    expect(result.ok).toBe(false);
    expect(result.nearMisses.map((m) => [m.entry.operation, m.differs])).toEqual([
      ['posix-rename', ['path']],
    ]);
  });

  it('say nothing is close when every entry differs in every field given', () => {
    const result = verify(session('1012676.pul.x.mrc'), {
      match: { operation: 'rmdir', path: '/xfer/tmp' },
      count: 1,
    });
    expect(result.nearMisses).toEqual([]);
    expect(result.explanation).toBe(
      'expected exactly 1 rmdir of /xfer/tmp, found 0; the journal holds no operation close to it',
    );
  });

  it('show the matches, not other entries, when there are too many', () => {
    const entries = [...session('1012676.pul.a.mrc'), ...session('1012676.pul.b.mrc')];
    const result = verify(entries, { match: { operation: 'posix-rename', path: '*.mrc' }, atMost: 1 });
    expect(result.nearMisses).toEqual([]);
    expect(result.explanation).toBe(
      `expected at most 1 posix-rename to *.mrc, found 2: posix-rename to ${BIB}/1012676.pul.a.mrc by fx_pul, ok; ` +
        `posix-rename to ${BIB}/1012676.pul.b.mrc by fx_pul, ok`,
    );
  });
});
