import { describe, expect, it } from 'vitest';
import { mfhd } from '../../test/fixtures/mfhd-fixtures.ts';
import { parseIso2709Record } from '../marc/parse-iso2709-record.ts';
import { iso2709, type RecordSpec } from '../marc/write-marc.ts';
import { decideLhrRecord, type LhrRules } from './decide-lhr-record.ts';

const rules: LhrRules = { ocnField: '004', collectionType: 'lhr', allowedSymbols: ['PUL', 'AB@'] };

function decide(spec: RecordSpec, overrides: Partial<LhrRules> = {}) {
  const parsed = parseIso2709Record(iso2709(spec));
  if (!parsed.ok) throw new Error(parsed.detail);
  return decideLhrRecord(parsed.record, { ...rules, ...overrides });
}

describe('decideLhrRecord', () => {
  it.each([
    [
      'a valid LHR is a set',
      mfhd({ lsn: '1', ocn: '5' }),
      {},
      { ok: true, lhr: { op: 'set', symbol: 'PUL' } },
    ],
    [
      'Leader/05 d is a delete',
      mfhd({ lsn: '1', ocn: '5', status: 'd' }),
      {},
      { ok: true, lhr: { op: 'delete' } },
    ],
    [
      'every record of a delete-lhr collection is a delete',
      mfhd({ lsn: '1', ocn: '5' }),
      { collectionType: 'delete-lhr' as const },
      { ok: true, lhr: { op: 'delete' } },
    ],
    [
      '852 $a in another case is the allowed symbol',
      mfhd({ lsn: '1', ocn: '5', symbol: 'pul' }),
      {},
      { ok: true, lhr: { symbol: 'PUL' } },
    ],
    [
      '852 $a encoded is the real symbol',
      mfhd({ lsn: '1', ocn: '5', symbol: 'AB_64' }),
      {},
      { ok: true, lhr: { symbol: 'AB@' } },
    ],
    [
      '852 $a of another institution is refused',
      mfhd({ lsn: '1', ocn: '5', symbol: 'XYZ' }),
      {},
      {
        ok: false,
        refusal: {
          lsn: '1',
          ocn: '5',
          library: 'MAIN',
          type: 'Validation Error',
          severity: 'CRITICAL',
          message: '852 $a "XYZ" is not PUL or AB@: this account cannot send holdings for it.',
        },
      },
    ],
    [
      '852 $a is not checked when no sender is known',
      mfhd({ lsn: '1', ocn: '5', symbol: 'XYZ' }),
      { allowedSymbols: undefined },
      { ok: true, lhr: { symbol: 'XYZ' } },
    ],
    [
      "a record breaking OCLC's LHR rules is refused with the rule",
      mfhd({ lsn: '1' }),
      {},
      {
        ok: false,
        refusal: {
          lsn: '1',
          severity: 'CRITICAL',
          message: expect.stringContaining('OCLC number not found in 004'),
        },
      },
    ],
  ])('%s', (_label, spec, overrides, expected) => {
    expect(decide(spec, overrides)).toMatchObject(expected);
  });
});
