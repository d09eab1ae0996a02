import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Iso2709Reader } from '../../oclc/marc/iso2709-reader.ts';
import { writeIso2709 } from '../../oclc/marc/write-iso2709.ts';
import { runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * Rows of Princeton's real BibProcessingReport (pulibrary/lib_jobs, spec/fixtures/oclc): LSN (Alma
 * MMS ID) and WorldCat OCN, written here as the cross-reference report OCLC pairs them in.
 */
const REAL = [
  ['99125407254106421', '3268953'],
  ['99110773983506421', '1392646065'],
  ['99118791183506421', '1380914143'],
] as const;

function record(lsn: string): Buffer {
  return writeIso2709('00000nam a2200000 a 4500', [
    { tag: '001', data: Buffer.from(lsn) },
    { tag: '245', data: Buffer.from('10\x1faA title /\x1fcby someone.') },
  ]);
}

function ocnsOf(bytes: Buffer): Map<string, string[]> {
  const reader = new Iso2709Reader();
  const out = new Map<string, string[]>();
  for (const item of [...reader.push(bytes), ...reader.end()]) {
    if (item.kind === 'record') out.set(item.record.control('001') ?? '', item.record.values('035', 'a'));
  }
  return out;
}

describe('writeback --skip and --only', () => {
  it('leave the named records as they are and count them; the rest get their OCN', async () => {
    using dir = tempDir();
    const reports = join(dir.path, 'reports');
    mkdirSync(reports);
    writeFileSync(
      join(
        reports,
        'PUL-PUL.1012676.IN.BIB.D20230712.T091924073.1012676.pul.non-pcc_28150407720006421_new.mrc_2.BibCrossRefReport.txt',
      ),
      REAL.map(([lsn, ocn]) => `${lsn}\t${ocn}\n`).join(''),
    );
    const records = join(dir.path, 'export.mrc');
    const input = Buffer.concat(REAL.map(([lsn]) => record(lsn)));
    writeFileSync(records, input);
    const skip = join(dir.path, 'skip.csv');
    writeFileSync(skip, `lsn,kind,ocn,message\n${REAL[1][0]},exception,,checked by hand\n`);
    const only = join(dir.path, 'only.txt');
    writeFileSync(only, `${REAL[0][0]}\n${REAL[1][0]}\n`);
    const run = (out: string, ...options: string[]) =>
      runCli([
        'writeback',
        '--reports',
        reports,
        '--records',
        records,
        '--out',
        join(dir.path, out),
        '--exceptions',
        join(dir.path, `${out}.csv`),
        ...options,
      ]);

    const skipped = await run('skipped.mrc', '--skip', skip, '--json');
    expect(skipped.stderr).toBe('');
    expect(JSON.parse(skipped.stdout)).toMatchObject({ records: 3, added: 2, skipped: 1, notInReports: 0 });
    const afterSkip = ocnsOf(readFileSync(join(dir.path, 'skipped.mrc')));
    expect(afterSkip.get(REAL[0][0])).toEqual(['(OCoLC)3268953']);
    expect(afterSkip.get(REAL[1][0])).toEqual([]);
    expect(afterSkip.get(REAL[2][0])).toEqual(['(OCoLC)1380914143']);

    const both = await run('both.mrc', '--only', only, '--skip', skip, '--json');
    expect(JSON.parse(both.stdout)).toMatchObject({ records: 3, added: 1, skipped: 2 });
    const output = readFileSync(join(dir.path, 'both.mrc'));
    expect([...ocnsOf(output).values()]).toEqual([['(OCoLC)3268953'], [], []]);
    // Records left alone keep every byte.
    expect(output.subarray(output.length - record(REAL[2][0]).length).equals(record(REAL[2][0]))).toBe(true);

    const text = await run('text.mrc', '--only', only);
    expect(text.stdout).toContain('1 skipped (--skip/--only)');
  });

  it('refuses a missing or empty list before writing anything', async () => {
    using dir = tempDir();
    mkdirSync(join(dir.path, 'reports'));
    writeFileSync(join(dir.path, 'in.mrc'), record('1'));
    writeFileSync(join(dir.path, 'empty.txt'), '\n');
    const base = ['writeback', '--reports', join(dir.path, 'reports'), '--records', join(dir.path, 'in.mrc')];
    const out = ['--out', join(dir.path, 'out.mrc')];
    const missing = await runCli([...base, ...out, '--skip', join(dir.path, 'nope.txt')]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('nope.txt');
    const empty = await runCli([...base, ...out, '--only', join(dir.path, 'empty.txt')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('the --only list holds no local system number');
  });
});

describe('writeback after a rerun', () => {
  it('lists a record two report sets leave unresolved once', async () => {
    using dir = tempDir();
    const reports = join(dir.path, 'reports');
    mkdirSync(reports);
    const upload = 'PUL-PUL.1012676.IN.BIB.D20230712.T091924073.1012676.pul.books_1_new.mrc';
    const [lsn, ocn] = REAL[0];
    for (const run of ['', '_2']) {
      writeFileSync(join(reports, `${upload}${run}.BibUnresolvedCrossRefReport.txt`), `${lsn}\t${ocn}\n`);
    }
    const records = join(dir.path, 'export.mrc');
    writeFileSync(records, record(lsn));
    const { writeback } = await import('../../client/writeback.ts');
    const result = await writeback(reports, records);
    expect(result.exceptions).toEqual([
      { lsn, kind: 'unresolved', ocn, message: 'unresolved in WorldCat (provisional number)' },
    ]);
  });
});
