import { describe, expect, it } from 'vitest';
import { parseIso2709Record } from '../oclc/marc/parse-iso2709-record.ts';
import { iso2709, type RecordSpec } from '../oclc/marc/write-marc.ts';
import { mfhd } from '../test/fixtures/mfhd-fixtures.ts';
import { planParts, type InputRecord, type PlanOptions } from './plan-parts.ts';

const options: PlanOptions = {
  collectionId: '1012676',
  encodedSymbol: 'pul',
  symbol: 'PUL',
  label: 'non-pcc',
  jobId: '28150407720006421',
  kind: 'bib',
  format: 'iso2709',
  maxFileSize: Number.MAX_SAFE_INTEGER,
  maxRecordsPerFile: Number.MAX_SAFE_INTEGER,
};

function input(spec: RecordSpec, file = 'a.mrc'): InputRecord {
  const bytes = iso2709(spec);
  const parsed = parseIso2709Record(bytes);
  if (!parsed.ok) throw new Error(parsed.detail);
  return { record: parsed.record, bytes, file };
}

const bib = (lsn: string, status = 'n') =>
  input({
    leader: `00000${status}am a2200000 i 4500`,
    fields: [
      ['001', lsn],
      ['245', '10', 'a', 'Title'],
    ],
  });

describe('planParts', () => {
  it('names parts like Alma and puts deletes in their own part', () => {
    const plan = planParts([bib('1'), bib('2', 'd'), bib('3', 'c')], options);
    expect(plan.parts.map((p) => [p.name, p.records])).toEqual([
      ['1012676.pul.non-pcc_28150407720006421_new.mrc', 2],
      ['1012676.pul.non-pcc_28150407720006421_delete.mrc', 1],
    ]);
  });

  it('splits by records and by size, numbering the parts', () => {
    const records = Array.from({ length: 5 }, (_, i) => bib(String(i)));
    expect(
      planParts(records, { ...options, maxRecordsPerFile: 2 }).parts.map((p) => [
        p.name.split('_')[1],
        p.records,
      ]),
    ).toEqual([
      ['28150407720006421-1', 2],
      ['28150407720006421-2', 2],
      ['28150407720006421-3', 1],
    ]);
    const size = records[0]?.bytes.length ?? 0;
    expect(planParts(records, { ...options, maxFileSize: size * 3 }).parts.map((p) => p.records)).toEqual([
      3, 2,
    ]);
  });

  it('keeps every LHR of an OCN in the same part and warns when an OCN spans input files', () => {
    const lhr = (lsn: string, ocn: string, file: string) => input(mfhd({ lsn, ocn }), file);
    const records = [
      lhr('1', '100', 'a.mrc'),
      lhr('2', '200', 'a.mrc'),
      lhr('3', '100', 'a.mrc'),
      lhr('4', '200', 'b.mrc'),
      lhr('5', '300', 'b.mrc'),
    ];
    const plan = planParts(records, { ...options, kind: 'lhr', label: 'lhr', maxRecordsPerFile: 3 });
    const lsns = plan.parts.map((p) => p.records);
    expect(lsns).toEqual([2, 3]);
    expect(plan.warnings).toEqual([
      expect.stringContaining('OCN 200 has holdings records in 2 input files (a.mrc, b.mrc)'),
    ]);
  });

  it("refuses a label that would break OCLC's name rules", () => {
    expect(() => planParts([bib('1')], { ...options, encodedSymbol: 'pu l' })).toThrow(
      /Failed to name the upload/,
    );
  });
});
