import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { iso2709, marcxmlCollection, marcxmlRecord, type RecordSpec } from '../oclc/marc/write-marc.ts';
import { MARCXML_HEAD, MARCXML_TAIL } from '../oclc/marc/write-marcxml.ts';
import { mfhd } from '../test/fixtures/mfhd-fixtures.ts';
import { tempDir } from '../test/support/temp-dir.ts';
import { planParts, type PartPlan, type PlannedPart, type PlanOptions } from './plan-parts.ts';

const options: PlanOptions = {
  collectionId: '1012676',
  encodedSymbol: 'pul',
  symbol: 'PUL',
  label: 'non-pcc',
  jobId: '28150407720006421',
  kind: 'bib',
  maxFileSize: Number.MAX_SAFE_INTEGER,
  maxRecordsPerFile: Number.MAX_SAFE_INTEGER,
  skipUnreadable: false,
};

const dir = tempDir();
afterEach(() => plans.splice(0).forEach((plan) => plan[Symbol.dispose]()));
const plans: PartPlan[] = [];
let files = 0;

/** Writes the records to an input file; returns its path. */
function inputFile(specs: RecordSpec[], name = `in-${++files}.mrc`): string {
  const path = join(dir.path, name);
  writeFileSync(path, Buffer.concat(specs.map((spec) => iso2709(spec))));
  return path;
}

async function plan(inputs: string[], overrides: Partial<PlanOptions> = {}): Promise<PartPlan> {
  const planned = await planParts(inputs, { ...options, ...overrides });
  plans.push(planned);
  return planned;
}

async function bytesOf(part: PlannedPart | undefined): Promise<Buffer> {
  const blocks: Buffer[] = [];
  for await (const block of part?.bytes.blocks() ?? []) blocks.push(Buffer.from(block));
  return Buffer.concat(blocks);
}

const bib = (lsn: string, status = 'n'): RecordSpec => ({
  leader: `00000${status}am a2200000 i 4500`,
  fields: [
    ['001', lsn],
    ['245', '10', 'a', 'Title'],
  ],
});

describe('planParts', () => {
  it('names parts like Alma and puts deletes in their own part, bytes as in the input', async () => {
    const specs = [bib('1'), bib('2', 'd'), bib('3', 'c')];
    const planned = await plan([inputFile(specs)]);
    expect(planned.parts.map((p) => [p.name, p.records])).toEqual([
      ['1012676.pul.non-pcc_28150407720006421_new.mrc', 2],
      ['1012676.pul.non-pcc_28150407720006421_delete.mrc', 1],
    ]);
    const [news, deletes] = await Promise.all(planned.parts.map(bytesOf));
    expect(news).toEqual(Buffer.concat([iso2709(specs[0] ?? bib('')), iso2709(specs[2] ?? bib(''))]));
    expect(deletes).toEqual(iso2709(specs[1] ?? bib('')));
    expect(planned.parts[0]?.size).toBe(news?.length);
  });

  it('splits by records and by size, numbering the parts', async () => {
    const input = inputFile(Array.from({ length: 5 }, (_, i) => bib(String(i))));
    expect(
      (await plan([input], { maxRecordsPerFile: 2 })).parts.map((p) => [p.name.split('_')[1], p.records]),
    ).toEqual([
      ['28150407720006421-1', 2],
      ['28150407720006421-2', 2],
      ['28150407720006421-3', 1],
    ]);
    const size = iso2709(bib('0')).length;
    expect((await plan([input], { maxFileSize: size * 3 })).parts.map((p) => p.records)).toEqual([3, 2]);
  });

  it('keeps every LHR of an OCN in the same part and warns when an OCN spans input files', async () => {
    const lhr = (lsn: string, ocn: string) => mfhd({ lsn, ocn });
    const a = inputFile([lhr('1', '100'), lhr('2', '200'), lhr('3', '100')], 'a.mrc');
    const b = inputFile([lhr('4', '200'), lhr('5', '300')], 'b.mrc');
    const planned = await plan([a, b], { kind: 'lhr', label: 'lhr', maxRecordsPerFile: 3 });
    expect(planned.parts.map((p) => p.records)).toEqual([2, 3]);
    // Groups in order of first appearance, each group's records in input order.
    expect(await bytesOf(planned.parts[0])).toEqual(
      Buffer.concat([iso2709(lhr('1', '100')), iso2709(lhr('3', '100'))]),
    );
    expect(await bytesOf(planned.parts[1])).toEqual(
      Buffer.concat([iso2709(lhr('2', '200')), iso2709(lhr('4', '200')), iso2709(lhr('5', '300'))]),
    );
    expect(planned.warnings).toEqual([
      expect.stringContaining(`OCN 200 has holdings records in 2 input files (${a}, ${b})`),
    ]);
  });

  it("refuses a label that would break OCLC's name rules", async () => {
    await expect(plan([inputFile([bib('1')])], { encodedSymbol: 'pu l' })).rejects.toThrow(
      /Failed to name the upload/,
    );
  });

  it('writes MARCXML parts to spool files, removed when the plan is disposed', async () => {
    const xml = join(dir.path, 'in.xml');
    writeFileSync(xml, marcxmlCollection([bib('1'), bib('2', 'd')].map((spec) => marcxmlRecord(spec))));
    const planned = await planParts([xml], options);
    expect(planned.parts.map((p) => [p.name.split('_').pop(), p.records])).toEqual([
      ['new.xml', 1],
      ['delete.xml', 1],
    ]);
    const text = (await bytesOf(planned.parts[0])).toString('utf8');
    expect(text.startsWith(MARCXML_HEAD) && text.endsWith(MARCXML_TAIL)).toBe(true);
    expect(text).toContain('<marc:controlfield tag="001">1</marc:controlfield>');
    planned[Symbol.dispose]();
    await expect(bytesOf(planned.parts[0])).rejects.toThrow(/no such file/);
  });
});
