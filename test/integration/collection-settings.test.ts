import { describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../simulator/config/config-schema.ts';
import { iso2709, type RecordSpec } from '../../oclc/marc/write-marc.ts';
import { mfhd } from '../fixtures/mfhd-fixtures.ts';
import { connectAs, type SftpTestClient } from '../support/sftp-test-client.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

const F008 = '260115s2020    nyua          000 0 eng d';

/** A full bib record with an OCN; `extra` fields add validation issues. */
function bib(lsn: string, ocn: string, extra: RecordSpec['fields'] = []): Buffer {
  return iso2709({
    fields: [
      ['001', lsn],
      ['008', F008],
      ['035', '  ', 'a', `(OCoLC)${ocn}`],
      ['100', '1 ', 'a', 'Writer, A.'],
      ['245', '10', 'a', `Title ${lsn}`],
      ['300', '  ', 'a', '200 p.'],
      ...extra,
    ],
  });
}

/** A record OCLC calls sparse (no 245): CRITICAL. */
const sparse = (lsn: string, ocn: string): Buffer =>
  iso2709({
    fields: [
      ['001', lsn],
      ['008', F008],
      ['035', '  ', 'a', `(OCoLC)${ocn}`],
    ],
  });

/** An invalid 509 tag: SEVERE. */
const severe = (lsn: string, ocn: string): Buffer => bib(lsn, ocn, [['509', '  ', 'a', 'note']]);

const INSTITUTIONS: ConfigInput['institutions'] = [
  {
    symbol: 'PUL',
    password: 'pul-secret',
    collections: [
      { id: '1012676', type: 'bib', default: true },
      { id: '1012678', type: 'bib', validation: { block: ['severe'] } },
      { id: '1012679', type: 'bib', holdings: 'none' },
      {
        id: '1012677',
        type: 'lhr',
        lhr: {
          translation: [
            { match: { b: 'MAIN' }, set: { a: 'PUL', b: 'PULA' } },
            { match: { b: 'SCI', c: 'rare' }, set: { a: 'PUL', b: 'PULR', c: 'Rare books' } },
          ],
        },
      },
    ],
  },
];

async function upload(sim: TestSimulator, client: SftpTestClient, path: string, records: Buffer[]) {
  await client.put(`metacoll/in/${path}`, Buffer.concat(records));
  const [file] = await sim.processing.run();
  expect(file?.state).toBe('processed');
  return file;
}

async function report(client: SftpTestClient, upload: string, kind: string): Promise<string[][]> {
  const entry = (await client.readdir('metacoll/reports')).find(
    (e) => e.filename.includes(`.${upload}.`) && e.filename.endsWith(`.${kind}.txt`),
  );
  if (!entry) return [];
  return (await client.get(`metacoll/reports/${entry.filename}`))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(/[|\t]/));
}

async function getJson<T>(sim: TestSimulator, path: string): Promise<T> {
  const res = await fetch(`${sim.adminUrl}${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

const holdings = async (sim: TestSimulator): Promise<string[]> =>
  (await getJson<{ ocns: string[] }>(sim, '/api/institutions/PUL/holdings')).ocns;

describe('collection settings change processing and reports', () => {
  it('validation.block: OCLC’s default blocks CRITICAL only; a collection blocking SEVERE keeps those records out', async () => {
    await using sim = await startTestSimulator({ institutions: INSTITUTIONS });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');

    await upload(sim, client, 'bib/1012676.pul.default.mrc', [severe('b1', '111'), sparse('b2', '222')]);
    const byDefault = await report(client, 'default', 'BibProcessingReport');
    expect(byDefault.map((r) => [r[1], r[4]])).toEqual([
      ['b1', 'match'],
      ['b2', 'unresolved'],
    ]);
    expect(await holdings(sim)).toEqual(['111']);

    await upload(sim, client, 'bib/1012678.pul.strict.mrc', [severe('s1', '333'), sparse('s2', '444')]);
    const strict = await report(client, 'strict', 'BibProcessingReport');
    // SEVERE is blocked here; CRITICAL is not, so the sparse record is matched by its OCN.
    expect(strict.map((r) => [r[1], r[4]])).toEqual([
      ['s1', 'unresolved'],
      ['s2', 'match'],
    ]);
    expect((await report(client, 'strict', 'BibExceptionReport')).map((r) => [r[1], r[5]])).toEqual([
      ['s1', 'SEVERE'],
      ['s2', 'CRITICAL'],
    ]);
    expect((await report(client, 'strict', 'BibUnresolvedCrossRefReport')).map((r) => r[0])).toEqual(['s1']);
    expect((await holdings(sim)).sort()).toEqual(['111', '444']);
  });

  it('holdings: none matches records and pairs LSN with OCN but sets and cancels no holding', async () => {
    await using sim = await startTestSimulator({ institutions: INSTITUTIONS });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const file = await upload(sim, client, 'bib/1012679.pul.noholdings.mrc', [bib('n1', '555')]);
    expect((await report(client, 'noholdings', 'BibProcessingReport')).map((r) => r[4])).toEqual(['match']);
    expect(await report(client, 'noholdings', 'BibCrossRefReport')).toEqual([['n1', '555']]);
    expect(file?.summary?.holdingsSet).toBe(0);
    expect(await holdings(sim)).toEqual([]);
  });

  it('lhr.translation: local location codes become OCLC’s 852 $a/$b/$c; a code with no row is refused', async () => {
    await using sim = await startTestSimulator({ institutions: INSTITUTIONS });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const copy = (lsn: string, library: string, location: string) =>
      iso2709(mfhd({ lsn, ocn: '12345', symbol: 'local', library, location, barcodes: [`B${lsn}`] }));
    await upload(sim, client, 'lhr/1012677.pul.mapped.mrc', [
      copy('h1', 'MAIN', 'stacks'),
      copy('h2', 'SCI', 'rare'),
      copy('h3', 'SCI', 'stacks'),
    ]);
    const rows = await report(client, 'mapped', 'LhrProcessingReport');
    expect(rows.map((r) => r.slice(1))).toEqual([
      ['h1', '12345', 'PULA', 'create'],
      ['h2', '12345', 'PULR', 'create'],
    ]);
    const refused = (await report(client, 'mapped', 'LhrExceptionReport')).filter((r) => r[4] !== 'Note');
    expect(refused.map((r) => [r[1], r[3], r[5]])).toEqual([['h3', 'SCI', 'CRITICAL']]);
    expect(refused[0]?.[6]).toBe(
      '852 $b "SCI", $c "stacks" has no row in this collection\'s 852 translation table (lhr.translation); add one or correct the location.',
    );
    const { lhrs } = await getJson<{ lhrs: { lsn: string; holdingLibrary: string; location: string }[] }>(
      sim,
      '/api/institutions/PUL/lhrs',
    );
    expect(lhrs.map((l) => [l.lsn, l.holdingLibrary, l.location])).toEqual([
      ['h1', 'PULA', 'stacks'],
      ['h2', 'PULR', 'Rare books'],
    ]);
  });

  it('GET /api/institutions/{symbol} shows every collection setting, defaults included', async () => {
    await using sim = await startTestSimulator({ institutions: INSTITUTIONS });
    const pul = await getJson<{ symbol: string; collections: Record<string, unknown>[] }>(
      sim,
      '/api/institutions/pul',
    );
    expect(pul.symbol).toBe('PUL');
    expect(pul.collections[0]).toEqual({
      id: '1012676',
      type: 'bib',
      default: true,
      ocnField: 'any',
      lsnField: ['001'],
      output: null,
      validation: { block: ['critical'] },
      holdings: 'set',
      lhr: { translation: [] },
    });
    expect(pul.collections.map((c) => [c['id'], c['validation'], c['holdings']])).toContainEqual([
      '1012678',
      { block: ['severe'] },
      'set',
    ]);
    expect(pul.collections[3]?.['lhr']).toEqual(INSTITUTIONS[0]?.collections[3]?.lhr);
    const missing = await fetch(`${sim.adminUrl}/api/institutions/XYZ`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('the configured institutions are PUL');
  });
});
