import { describe, expect, it } from 'vitest';
import { generateLhrRecords } from '../../oclc/marc/generate-lhr-records.ts';
import { iso2709 } from '../../oclc/marc/write-marc.ts';
import type { LhrView } from '../../simulator/worldcat/worldcat-state.ts';
import { mfhd } from '../fixtures/mfhd-fixtures.ts';
import { connectAs, type SftpTestClient } from '../support/sftp-test-client.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

type Lhr = LhrView;

const copy = (lsn: string, library: string, barcode: string, extra = {}) =>
  iso2709(mfhd({ lsn, ocn: '12345', library, barcodes: [barcode], ...extra }));

async function upload(sim: TestSimulator, client: SftpTestClient, name: string, records: Buffer[]) {
  await client.put(`metacoll/in/lhr/${name}`, Buffer.concat(records));
  const [file] = await sim.processing.run();
  return file;
}

async function report(
  client: SftpTestClient,
  upload: string,
  kind: 'LhrProcessingReport' | 'LhrExceptionReport',
): Promise<string[][]> {
  const entry = (await client.readdir('metacoll/reports')).find(
    (e) => e.filename.includes(`.${upload}.`) && e.filename.endsWith(`.${kind}.txt`),
  );
  if (!entry) throw new Error(`no ${kind} for ${upload}`);
  return (await client.get(`metacoll/reports/${entry.filename}`))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('|'));
}

async function lhrs(sim: TestSimulator, query = ''): Promise<Lhr[]> {
  const res = await fetch(`${sim.adminUrl}/api/institutions/PUL/lhrs${query}`);
  return ((await res.json()) as { lhrs: Lhr[] }).lhrs;
}

describe('LHR processing with replace-all', () => {
  it('a full set creates every LHR; a partial set later removes the copies it left out', async () => {
    await using sim = await startTestSimulator();
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const day1 = await upload(sim, client, '1012677.pul.full.mrc', [
      copy('221', 'MAIN', 'B1'),
      copy('222', 'SCI', 'B2'),
      copy('223', 'ART', 'B3'),
    ]);
    expect(day1?.state).toBe('processed');
    expect((await report(client, 'full', 'LhrProcessingReport')).map((r) => r.slice(1))).toEqual([
      ['221', '12345', 'MAIN', 'create'],
      ['222', '12345', 'SCI', 'create'],
      ['223', '12345', 'ART', 'create'],
    ]);
    expect(await lhrs(sim)).toHaveLength(3);
    expect((await lhrs(sim, '?ocn=12345'))[0]).toEqual({
      ocn: '12345',
      lsn: '221',
      holdingLibrary: 'MAIN',
      location: 'stacks',
      callNumber: 'QA76.73.J38 F55 2020',
      barcodes: ['B1'],
      sourceFile: { id: day1?.id, name: '1012677.pul.full.mrc' },
    });

    await upload(sim, client, '1012677.pul.partial.mrc', [copy('222', 'SCI', 'B2-new')]);
    const rows = await report(client, 'partial', 'LhrProcessingReport');
    for (const row of rows) expect(row).toHaveLength(5);
    expect(rows.map((r) => r.slice(1))).toEqual([
      ['222', '12345', 'SCI', 'replace'],
      ['221', '12345', 'MAIN', 'removed-by-replace'],
      ['223', '12345', 'ART', 'removed-by-replace'],
    ]);
    expect(rows[0]?.[0]).toMatch(/^PUL_1012677_\d+::lhr::0$/);
    expect((await lhrs(sim)).map((l) => [l.lsn, l.barcodes])).toEqual([['222', ['B2-new']]]);
  });

  it('GET /api/files/{id} gives an LHR file one outcome per record, refusals with their reason', async () => {
    await using sim = await startTestSimulator();
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await upload(sim, client, '1012677.pul.first.mrc', [copy('221', 'MAIN', 'B1')]);
    const file = await upload(sim, client, '1012677.pul.outcomes.mrc', [
      copy('221', 'MAIN', 'B1b'),
      iso2709(mfhd({ lsn: '224', ocn: '12345', symbol: 'XYZ' })),
      copy('222', 'SCI', 'B2'),
    ]);
    const res = await fetch(`${sim.adminUrl}/api/files/${file?.id}`);
    const body = (await res.json()) as {
      outcomes: {
        lsn: string;
        incomingOcn: string;
        action: string;
        errors: { type: string; message: string }[];
      }[];
      totalOutcomes?: number;
    };
    expect(body.outcomes.map((o) => [o.lsn, o.incomingOcn, o.action])).toEqual([
      ['221', '12345', 'replace'],
      ['224', '12345', 'validation error'],
      ['222', '12345', 'create'],
    ]);
    expect(body.outcomes[1]?.errors[0]?.message).toMatch(/852/);
  });

  it('Leader/05 d deletes just that LHR', async () => {
    await using sim = await startTestSimulator();
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await upload(sim, client, '1012677.pul.a.mrc', [copy('221', 'MAIN', 'B1'), copy('222', 'SCI', 'B2')]);
    await upload(sim, client, '1012677.pul.b.mrc', [copy('221', 'MAIN', 'B1', { status: 'd' })]);
    expect((await report(client, 'b', 'LhrProcessingReport')).map((r) => r.slice(1))).toEqual([
      ['221', '12345', 'MAIN', 'delete'],
    ]);
    expect((await lhrs(sim)).map((l) => l.lsn)).toEqual(['222']);
  });

  it('a delete of an LHR never held is "not found" with a note, and is not counted as a delete', async () => {
    await using sim = await startTestSimulator();
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await upload(sim, client, '1012677.pul.a.mrc', [copy('221', 'MAIN', 'B1'), copy('222', 'SCI', 'B2')]);
    const file = await upload(sim, client, '1012677.pul.b.mrc', [
      copy('221', 'MAIN', 'B1', { status: 'd' }),
      copy('229', 'MAIN', 'B9', { status: 'd' }),
    ]);
    expect((await report(client, 'b', 'LhrProcessingReport')).map((r) => r.slice(1))).toEqual([
      ['221', '12345', 'MAIN', 'delete'],
      ['229', '12345', 'MAIN', 'not found'],
    ]);
    expect((await report(client, 'b', 'LhrExceptionReport')).map((r) => r.slice(1))).toEqual([
      ['229', '12345', 'MAIN', 'Note', 'MINOR', 'PUL has no LHR with LSN 229; nothing was deleted.'],
    ]);
    expect(file?.summary).toMatchObject({ records: 2, actions: { delete: 1, 'not found': 1 } });
    expect((await lhrs(sim)).map((l) => l.lsn)).toEqual(['222']);
  });

  it('a delete-lhr collection deletes every LHR in the file', async () => {
    await using sim = await startTestSimulator({
      institutions: [
        {
          symbol: 'PUL',
          password: 'pul-secret',
          collections: [
            { id: '1012676', type: 'bib', default: true },
            { id: '1012677', type: 'lhr' },
            { id: '1012679', type: 'delete-lhr' },
          ],
        },
      ],
    });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await upload(sim, client, '1012677.pul.a.mrc', [copy('221', 'MAIN', 'B1'), copy('222', 'SCI', 'B2')]);
    await upload(sim, client, '1012679.pul.del.mrc', [copy('222', 'SCI', 'B2')]);
    expect((await lhrs(sim)).map((l) => l.lsn)).toEqual(['221']);
  });

  it('refuses a bib record, a wrong 852 $a and an OCN in the wrong field, row by row', async () => {
    await using sim = await startTestSimulator();
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const bib = iso2709({
      leader: '00000nam a2200000 a 4500',
      fields: [
        ['001', '991'],
        ['245', '10', 'a', 'Not holdings'],
      ],
    });
    const other = iso2709(mfhd({ lsn: '225', ocn: '777', symbol: 'ZZZ' }));
    const misplaced = iso2709(mfhd({ lsn: '226', ocn: '888', ocnIn: '014' }));
    const good = copy('227', 'MAIN', 'B7');
    const file = await upload(sim, client, '1012677.pul.mixed.mrc', [bib, other, misplaced, good]);
    expect(file?.state).toBe('processed');
    const exceptions = await report(client, 'mixed', 'LhrExceptionReport');
    for (const row of exceptions) expect(row).toHaveLength(7);
    expect(exceptions.map((r) => [r[1], r[4], r[5], r[6]])).toEqual([
      [
        '991',
        'Validation Error',
        'CRITICAL',
        'Record is not a holdings record (Leader/06 is "a"; an LHR has x, y, v or u).',
      ],
      [
        '225',
        'Validation Error',
        'CRITICAL',
        '852 $a "ZZZ" is not PUL: this account cannot send holdings for it.',
      ],
      [
        '226',
        'Validation Error',
        'CRITICAL',
        'OCLC number not found in 004; this collection reads it from there.',
      ],
      ['227', 'Note', 'MINOR', 'PUL had no WorldCat holding on 12345; the LHR set it.'],
    ]);
    expect((await lhrs(sim)).map((l) => l.lsn)).toEqual(['227']);
    expect(sim.worldcat.holdings('PUL')).toEqual(['12345']);
  });

  it('accepts 852 $a of an institution the account uploads for', async () => {
    await using sim = await startTestSimulator();
    await using vendor = await connectAs(sim, 'fx_vnd', 'vnd-secret');
    await vendor.put('/xfer/PUL/metacoll/in/lhr/1012677.pul.vendor.mrc', copy('231', 'MAIN', 'B1'));
    await sim.processing.run();
    expect((await lhrs(sim)).map((l) => l.lsn)).toEqual(['231']);
  });

  it('a 100,000-record file replaces all per OCN even when the copies of an OCN are far apart', async () => {
    await using sim = await startTestSimulator();
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const records = [...generateLhrRecords({ count: 100_000, seed: 5, symbol: 'PUL', copiesPerOcn: 2 })];
    // Every first copy, then every second copy: a whole file apart, so grouping must span the file.
    const order = [...records.filter((r) => r.index % 2 === 0), ...records.filter((r) => r.index % 2 === 1)];
    const file = await upload(
      sim,
      client,
      '1012677.pul.big.mrc',
      order.map((r) => r.bytes),
    );
    expect(file?.state).toBe('processed');
    expect(file?.summary).toMatchObject({ records: 100_000, dataErrors: 0, holdingsSet: 50_000 });
    expect(file?.summary?.actions).toEqual({ create: 100_000 });
    const rows = await report(client, 'big', 'LhrProcessingReport');
    expect(rows).toHaveLength(100_000);
    // Groups in order of first appearance, each group's copies together: the generator's order.
    expect(rows.map((r) => r[2])).toEqual(records.map((r) => r.ocn));
    expect(sim.worldcat.lhrs('PUL')).toHaveLength(100_000);
    expect(sim.worldcat.holdings('PUL')).toHaveLength(50_000);
  }, 180_000);
});
