import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReport, reportKindOf } from '../../oclc/reports/parse-report.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

/**
 * UMN's group: UMMBL sends delete lists for the University of Minnesota's symbols, one file with an
 * `OCN,Library Code` row per holding (UMNLibraries/oclc-datasync-reports, datasync_delete_report.py).
 */
const INSTITUTIONS = [
  {
    symbol: 'UMMBL',
    password: 'u-secret',
    uploadsFor: ['MNU', 'MND'],
    collections: [
      { id: '1031464', type: 'bib' as const, default: true },
      { id: '1031465', type: 'delete-holdings' as const },
    ],
  },
  ...['MNU', 'MND'].map((symbol) => ({
    symbol,
    password: `${symbol.toLowerCase()}-secret`,
    collections: [{ id: symbol === 'MNU' ? '1031466' : '1031467', type: 'bib' as const, default: true }],
  })),
];

function reports(dataDir: string, file: string) {
  const dir = join(dataDir, 'xfer', 'ummbl', 'metacoll', 'reports');
  return readdirSync(dir)
    .filter((name) => name.includes(file))
    .map((name) => {
      const kind = reportKindOf(name);
      if (!kind) throw new Error(`not a report: ${name}`);
      return parseReport(kind, readFileSync(join(dir, name), 'utf8'));
    });
}

describe('non-MARC key lists: CSV delete lists and numeric-search-key files', () => {
  it('an NSK file sets holdings by OCN, a CSV delete list (OCN,Library Code) cancels them; reports in the bib family', async () => {
    await using sim = await startTestSimulator({ institutions: INSTITUTIONS, processing: 'manual' });
    await using client = await connectAs(sim, 'fx_ummbl', 'u-secret');
    await client.put(
      'metacoll/in/bib/1031464.UMMBL.20200301.NSK',
      'OCN,LSN\r\n12345,b1\r\n(OCoLC)67890,b2\r\n"ocm00011111",b3\r\n,b4\r\n',
    );
    await sim.processing.run();
    expect(sim.worldcat.holdings('UMMBL')).toEqual(['11111', '12345', '67890']);
    const [nskFile] = sim.files.list();
    expect(nskFile).toMatchObject({ state: 'processed', kind: 'bib' });
    const nskReports = reports(sim.dataDir, '1031464.UMMBL.20200301.NSK');
    const processing = nskReports.find((r) => r.kind === 'BibProcessingReport');
    expect(processing?.rows.map((r) => [r.lsn, r.worldcatOcn, r.action])).toEqual([
      ['b1', '12345', 'match'],
      ['b2', '67890', 'match'],
      ['b3', '11111', 'match'],
    ]);
    const exceptions = nskReports.find((r) => r.kind === 'BibExceptionReport');
    expect(exceptions?.rows.map((r) => [r.type, r.message])).toEqual([['Data Error', 'crosswalk_error']]);
    const { outcomes } = await sim.files.outcomes(nskFile?.id ?? 0);
    expect(outcomes.at(-1)?.errors[0]?.detail).toBe('line 5 has no OCN, ISBN, ISSN or LCCN');

    await client.put(
      'metacoll/in/bib/1031465.UMMBL.deletes.20200101.csv',
      '\ufeffOCN,Library Code\n12345,UMMBL\n67890,\n99999,UMMBL\n',
    );
    await sim.processing.run();
    expect(sim.worldcat.holdings('UMMBL')).toEqual(['11111']);
    const deleteFile = sim.files.list().find((f) => f.name.includes('deletes'));
    // 99999 was never held: matched, but nothing was cancelled.
    expect(deleteFile?.summary).toMatchObject({ records: 3, holdingsCancelled: 2 });
    const deletes = reports(sim.dataDir, '1031465.UMMBL.deletes.20200101.csv');
    expect(deletes.find((r) => r.kind === 'BibProcessingReport')?.rows.map((r) => [r.lsn, r.action])).toEqual(
      [
        ['12345', 'match'],
        ['67890', 'match'],
        ['99999', 'match'],
      ],
    );
  });

  it("a delete list's Library Code names the group member whose holding is cancelled; rows are located like records", async () => {
    await using sim = await startTestSimulator({ institutions: INSTITUTIONS, processing: 'manual' });
    await using client = await connectAs(sim, 'fx_ummbl', 'u-secret');
    await client.put(
      'metacoll/in/bib/1031464.UMMBL.20200301.NSK',
      'OCN,Library Code\n3268953,MNU\n3268953,MND\n1392646065,mnu\n',
    );
    await sim.processing.run();
    expect(sim.worldcat.holdings('MNU')).toEqual(['3268953', '1392646065']);
    expect(sim.worldcat.holdings('MND')).toEqual(['3268953']);
    expect(sim.worldcat.holdings('UMMBL')).toEqual([]);

    const list = 'OCN,Library Code\r\n3268953,MNU\r\n14567360,MND\r\n1392646065,MAIN\r\n';
    await client.put('metacoll/in/bib/1031465.UMMBL.deletes.20240102.csv', list);
    await sim.processing.run();
    expect(sim.worldcat.holdings('MNU')).toEqual(['1392646065']);
    expect(sim.worldcat.holdings('MND')).toEqual(['3268953']);
    const file = sim.files.list().find((f) => f.name.includes('deletes'));
    expect(file?.summary).toMatchObject({ records: 3, holdingsCancelled: 1 });
    const deletes = reports(sim.dataDir, 'deletes.20240102.csv');
    const processing = deletes.find((r) => r.kind === 'BibProcessingReport');
    const at = (row: string): number => Buffer.from(list).indexOf(row);
    expect(processing?.rows).toEqual([
      expect.objectContaining({ lsn: '3268953', worldcatOcn: '3268953', action: 'match' }),
      expect.objectContaining({ lsn: '14567360', worldcatOcn: '14567360', action: 'match' }),
      expect.objectContaining({ lsn: '1392646065', action: 'processing error' }),
    ]);
    expect(processing?.rows.map((r) => ('locator' in r ? r.locator.split('::').pop() : ''))).toEqual(
      ['3268953,MNU', '14567360,MND', '1392646065,MAIN'].map((row) => String(at(row))),
    );
    const exceptions = deletes.find((r) => r.kind === 'BibExceptionReport');
    expect(exceptions?.rows.map((r) => ('type' in r ? [r.lsn, r.type, r.message] : []))).toEqual([
      [
        '1392646065',
        'Processing Error',
        'Library Code "MAIN" is not UMMBL or MNU or MND: this collection cannot change its holdings.',
      ],
    ]);
    // A key list is not local bibliographic data: no LBD reports.
    expect(deletes.map((r) => r.kind).filter((k) => k.startsWith('Lbd'))).toEqual([]);
  });

  it("logs the holdings a group's key list changes under the member's symbol, for record output", async () => {
    const withOutput = INSTITUTIONS.map((i) =>
      i.symbol === 'MNU'
        ? { ...i, collections: i.collections.map((c) => ({ ...c, output: { enabled: true } })) }
        : i,
    );
    await using sim = await startTestSimulator({ institutions: withOutput, processing: 'manual' });
    await using client = await connectAs(sim, 'fx_ummbl', 'u-secret');
    await client.put(
      'metacoll/in/bib/1031464.UMMBL.20200301.NSK',
      'OCN,Library Code\n3268953,MNU\n14567360,MND\n',
    );
    await sim.processing.run();
    await client.put('metacoll/in/bib/1031465.UMMBL.deletes.20240102.csv', 'OCN,Library Code\n3268953,MNU\n');
    await sim.processing.run();
    const changes = [...sim.worldcat.changes.between(0, Number.MAX_SAFE_INTEGER)];
    // MND has no output, so nothing of it is logged; MNU's are, under MNU, from the group's collections.
    expect(changes.map((c) => [c.kind, c.symbol, c.ocn, c.collectionId])).toEqual([
      ['held', 'MNU', '3268953', '1031464'],
      ['released', 'MNU', '3268953', '1031465'],
    ]);
  });

  it('a CSV without a known header is a Data Error, not a silent no-op', async () => {
    await using sim = await startTestSimulator({ institutions: INSTITUTIONS, processing: 'manual' });
    await using client = await connectAs(sim, 'fx_ummbl', 'u-secret');
    await client.put('metacoll/in/bib/1031465.UMMBL.deletes.20200102.csv', '12345;MAIN\n');
    await sim.processing.run();
    const [file] = sim.files.list();
    expect(file?.state).toBe('processed');
    const exceptions = reports(sim.dataDir, 'deletes.20200102.csv').find(
      (r) => r.kind === 'BibExceptionReport',
    );
    expect(exceptions?.rows[0]?.message).toBe('crosswalk_error');
    const { outcomes } = await sim.files.outcomes(file?.id ?? 0);
    expect(outcomes[0]?.errors[0]?.detail).toBe(
      'the first line names unknown columns (12345;main); the columns are OCN, ISBN, ISSN, LCCN, LSN, Library Code',
    );
  });
});
