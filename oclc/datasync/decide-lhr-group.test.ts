import { describe, expect, it } from 'vitest';
import { decideLhrGroup, type ExistingLhr, type LhrStateView } from './decide-lhr-group.ts';
import type { LhrEntry } from './decide-lhr-record.ts';

const entry = (lsn: string, op: 'set' | 'delete' = 'set', ocn = '5'): LhrEntry => ({
  lsn,
  ocn,
  symbol: 'PUL',
  holdingLibrary: 'MAIN',
  location: '',
  callNumber: '',
  barcodes: [],
  isDelete: op === 'delete',
  op,
});

function state(existing: string[], options: { otherLsns?: string[]; holding?: boolean } = {}): LhrStateView {
  const rows: ExistingLhr[] = existing.map((lsn) => ({ lsn, ocn: '5', holdingLibrary: 'MAIN' }));
  return {
    existing: () => rows,
    hasLsn: (_symbol, lsn) => existing.includes(lsn) || (options.otherLsns ?? []).includes(lsn),
    hasHolding: () => options.holding ?? true,
  };
}

const actions = (group: LhrEntry[], view: LhrStateView) =>
  decideLhrGroup(group, view).rows.map((r) => `${r.lsn}:${r.action}`);

describe('decideLhrGroup', () => {
  it.each([
    ['new LHRs are created', [entry('1'), entry('2')], state([]), ['1:create', '2:create']],
    ['a known LSN is replaced', [entry('1')], state(['1']), ['1:replace']],
    [
      'an LSN moving from another OCN is replaced',
      [entry('7')],
      state([], { otherLsns: ['7'] }),
      ['7:replace'],
    ],
    [
      'existing LHRs the file leaves out are removed by the replace',
      [entry('1')],
      state(['1', '2', '3']),
      ['1:replace', '2:removed-by-replace', '3:removed-by-replace'],
    ],
    [
      'a delete beside sets deletes its LSN and is not reported twice',
      [entry('1'), entry('2', 'delete')],
      state(['1', '2']),
      ['1:replace', '2:delete'],
    ],
    ['a group of deletes deletes only those LSNs', [entry('2', 'delete')], state(['1', '2']), ['2:delete']],
    [
      'a delete of an LHR never held is not found, beside sets or alone',
      [entry('1'), entry('9', 'delete')],
      state(['1']),
      ['1:replace', '9:not found'],
    ],
    [
      'a lone delete of an LHR never held is not found',
      [entry('9', 'delete')],
      state(['1']),
      ['9:not found'],
    ],
    [
      'a second copy of an LSN in the file replaces the first',
      [entry('1'), entry('1')],
      state([]),
      ['1:create', '1:replace'],
    ],
    [
      'an LSN set, then deleted in the same file, is created and deleted',
      [entry('1'), entry('1', 'delete')],
      state([]),
      ['1:create', '1:delete'],
    ],
  ])('%s', (_label, group, view, expected) => {
    expect(actions(group, view)).toEqual(expected);
  });

  it('replaces the whole set only when the group sets something', () => {
    const sets = decideLhrGroup([entry('1'), entry('2', 'delete')], state(['1', '2', '3']));
    expect(sets).toMatchObject({ replaceAll: true, deleteLsns: ['2'] });
    expect(sets.inserts.map((s) => s.lsn)).toEqual(['1']);
    const deletes = decideLhrGroup([entry('2', 'delete')], state(['1', '2']));
    expect(deletes).toMatchObject({ replaceAll: false, inserts: [], deleteLsns: ['2'] });
  });

  it('applies the last record of each LSN: a set then a delete leaves nothing to insert', () => {
    const decision = decideLhrGroup([entry('1'), entry('2'), entry('1', 'delete')], state([]));
    expect(decision.inserts.map((s) => s.lsn)).toEqual(['2']);
    expect(decision.deleteLsns).toEqual(['1']);
    const never = decideLhrGroup([entry('9', 'delete')], state(['1']));
    expect(never).toMatchObject({ replaceAll: false, inserts: [], deleteLsns: [] });
  });

  it('reports removed LHRs at the first record of the group', () => {
    const group = [entry('1'), entry('4')];
    const removed = decideLhrGroup(group, state(['2'])).rows.find((r) => r.action === 'removed-by-replace');
    expect(removed?.at).toBe(group[0]);
  });

  it('sets a missing holding with a note, and only for sets', () => {
    expect(decideLhrGroup([entry('1')], state([], { holding: false })).setHolding).toEqual({
      at: expect.objectContaining({ lsn: '1' }),
      message: 'PUL had no WorldCat holding on 5; the LHR set it.',
    });
    expect(decideLhrGroup([entry('1')], state([])).setHolding).toBeUndefined();
    expect(decideLhrGroup([entry('1', 'delete')], state([], { holding: false })).setHolding).toBeUndefined();
  });
});
