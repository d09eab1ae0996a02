import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportsFolder } from '../../simulator/storage/account-tree.ts';
import { writeProfile } from '../support/client-profile.ts';
import { runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

/**
 * Real OCLC reports of two Princeton uploads, a few rows each, under their real names
 * (pulibrary/lib_jobs, spec/fixtures/oclc): OCLC ran each upload more than once, so the reports
 * carry `_1` and `_2` after the uploaded name, and one report repeats a row.
 */
const FIRST = '1012676.pul.non-pcc_28150407720006421_new.mrc';
const SECOND = '1012676.pul.non-pcc_27837389230006421_new.mrc';
const REPORTS: Record<string, string[]> = {
  [`PUL-PUL.1012676.IN.BIB.D20230712.T091924073.${FIRST}_2.BibProcessingReport.txt`]: [
    'PUL_1012676_1691414364073::bib::2548588|99110773983506421||1392646065|create',
    'PUL_1012676_1691414364073::bib::1903397|99125407254106421|3268953|3268953|match',
    'PUL_1012676_1691414364073::bib::2125095|99118791183506421|1380914143|1380914143|replace',
    'PUL_1012676_1691414364073::bib::2970911|9955256153506421||1392646120|unresolved',
    'PUL_1012676_1691414364073::bib::3115693|993463633506421|14567360|14567360|field transfer',
  ],
  [`PUL-PUL.1012676.IN.BIB.D20230712.T091935658.${FIRST}_1.BibProcessingReport.txt`]: [
    'PUL_1012676_1691414345658::bib::16419488|99127113255406421|783147171|783147171|match',
    'PUL_1012676_1691414345658::bib::16419488|99127113255406421|783147171|783147171|match',
    'PUL_1012676_1691414345658::bib::6766242|99127603319606421||1392644709|unresolved',
    'PUL_1012676_1691414345658::bib::8798300|99127180469306421||1381253258|field transfer',
  ],
  [`PUL-PUL.1012676.IN.BIB.D20230712.T115712289.${SECOND}_2.BibExceptionReport.txt`]: [
    'PUL_1012676_1689177432289::bib::1856787||||Data Error||crosswalk_error',
    'PUL_1012676_1689177432289::bib::1737659|9968304893506421||1390150062|Validation Error|CRITICAL|Record is sparse.',
    'PUL_1012676_1689177432289::bib::1737659|9968304893506421||1390150062|Validation Error|SEVERE|Date2/Ending Date of Publication (008/11-14) is too short.',
    'PUL_1012676_1689177432289::bib::886793|99114464553506421||1390150840|Validation Error|SEVERE|Invalid code in 1st $2 in 2nd 650.',
  ],
  [`PUL-PUL.1012676.IN.BIB.D20230712.T115732756.${SECOND}_1.BibExceptionReport.txt`]: [
    'PUL_1012676_1689177452756::bib::12657080|99127121465606421|1372368663|1372368663|Processing Error||',
  ],
};

describe('reports fetch on real OCLC reports', () => {
  it('pairs every rerun set with its upload and summarises it in the reports’ own words', async () => {
    await using sim = await startTestSimulator();
    using dir = tempDir();
    const pul = sim.config.institutions.find((i) => i.symbol === 'PUL');
    if (!pul) throw new Error('no PUL');
    const folder = reportsFolder(sim.dataDir, pul);
    mkdirSync(folder, { recursive: true });
    for (const [name, rows] of Object.entries(REPORTS))
      writeFileSync(join(folder, name), `${rows.join('\n')}\n`);
    const published = (name: string) => ({
      name,
      collectionId: '1012676',
      kind: 'bib',
      jobId: name.split('_')[1],
      sha256: '0'.repeat(64),
      size: 1,
      records: 1,
      uploadedAt: '2023-07-12T13:19:24.073Z',
    });
    mkdirSync(join(dir.path, 'state'));
    writeFileSync(
      join(dir.path, 'state', 'state.json'),
      JSON.stringify({ published: [published(FIRST), published(SECOND)], fetched: [] }),
    );
    const profile = writeProfile(dir.path, sim);
    const env = { OCLC_PASSWORD: 'pul-secret' };
    const out = join(dir.path, 'reports');
    const json = await runCli(['reports', 'fetch', '--profile', profile, '--out', out, '--json'], { env });
    expect(json.stderr).toBe('');
    const result = JSON.parse(json.stdout) as {
      downloaded: string[];
      files: { file: string; records: number; runs: { rerun: number | null; records: number }[] }[];
    };
    expect(result.downloaded.sort()).toEqual(Object.keys(REPORTS).sort());
    const [first, second] = result.files;
    // The repeated row is one record: 5 in the second run, 3 in the first.
    expect(first).toMatchObject({
      file: FIRST,
      complete: true,
      records: 8,
      actions: { create: 1, match: 2, replace: 1, unresolved: 2, 'field transfer': 2 },
      recordsWithExceptions: 0,
    });
    expect(first?.runs.map((r) => [r.rerun, r.records])).toEqual([
      [1, 3],
      [2, 5],
    ]);
    expect(second).toMatchObject({
      file: SECOND,
      records: 4,
      recordsWithExceptions: 4,
      exceptions: {
        'Data Error': 1,
        'Validation Error CRITICAL': 1,
        'Validation Error SEVERE': 2,
        'Processing Error': 1,
      },
    });

    const text = await runCli(['reports', 'fetch', '--profile', profile, '--out', join(dir.path, 'again')], {
      env,
    });
    expect(text.stdout).toContain(
      `${FIRST}: 8 records (match 2, unresolved 2, field transfer 2, create 1, replace 1); no exceptions; LBD errors 0`,
    );
    expect(text.stdout).toContain('  rerun _1: 3 records (match 1, unresolved 1, field transfer 1)');
  });
});
