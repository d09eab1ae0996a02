import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReport, reportKindOf } from '../../oclc/reports/parse-report.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

const INSTITUTIONS = [
  {
    symbol: 'UMMBL',
    password: 'u-secret',
    collections: [
      { id: '1031464', type: 'bib' as const, default: true },
      { id: '1031465', type: 'delete-holdings' as const },
    ],
  },
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
      '\ufeffOCN,Library Code\n12345,MAIN\n67890,LAW\n',
    );
    await sim.processing.run();
    expect(sim.worldcat.holdings('UMMBL')).toEqual(['11111']);
    const deletes = reports(sim.dataDir, '1031465.UMMBL.deletes.20200101.csv');
    expect(deletes.find((r) => r.kind === 'BibProcessingReport')?.rows.map((r) => [r.lsn, r.action])).toEqual(
      [
        ['12345', 'match'],
        ['67890', 'match'],
      ],
    );
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
