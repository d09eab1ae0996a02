import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { BIN, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

const FIXTURES = new URL('../../scenarios/fixtures/', import.meta.url).pathname;
const BROKEN = join(FIXTURES, 'bib-broken.mrc');

describe('datasync-sim check', () => {
  it('exits 0 and says so when every record would be accepted', async () => {
    const result = await runCli(['check', join(FIXTURES, 'bib-day1.mrc')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('bib file, 3 records read: 3 would be accepted, 0 would be refused');
  });

  it('fails an empty file (exit 3): no record means the export went wrong, in text, JSON and JUnit', async () => {
    using dir = tempDir();
    const empty = join(dir.path, '1012676.pul.empty.mrc');
    writeFileSync(empty, '');
    const text = await runCli(['check', empty]);
    expect(text.code).toBe(3);
    expect(text.stdout).toContain('0 records read');
    expect(text.stdout).toContain('no MARC record in this file: Data Sync would process nothing');
    const json = await runCli(['check', empty, '--format', 'json']);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, files: [{ records: 0, ok: false }] });
    const junit = await runCli(['check', empty, '--format', 'junit']);
    expect(junit.code).toBe(3);
    expect(junit.stdout).toMatch(/<testsuite [^>]*tests="2" failures="1"/);
    expect(junit.stdout).toContain('<failure message="no MARC record in this file');
  });

  it('exits 3 with one line per problem (position, LSN, OCN, wording) and a summary by reason', async () => {
    const result = await runCli(['check', BROKEN]);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(
      'record 2 (byte 371) LSN 990000000020096421: refused: Validation Error CRITICAL: Record is sparse.',
    );
    expect(result.stdout).toContain(
      '12 records read: 8 would be accepted (1 with warnings), 4 would be refused',
    );
    expect(result.stdout).toMatch(/^ +1 {2}crosswalk_error$/m);
  });

  it('checks the upload name with the strict rules and suggests the fix', async () => {
    const clean = join(FIXTURES, 'bib-day1.mrc');
    const refused = await runCli(['check', clean, '--name', '1012676.pul.day 1.mrc']);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain(
      'name "1012676.pul.day 1.mrc" would be refused: spaces are not allowed in file names: 1012676.pul.day_1.mrc',
    );
    const accepted = await runCli(['check', clean, '--name', '1012676.pul.day1.mrc']);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain('name "1012676.pul.day1.mrc" follows the rules');
  });

  it('flags a leading-dot name, its own or --name: clients and the server treat it as a temporary file', async () => {
    using dir = tempDir();
    const dotted = join(dir.path, '.1012676.pul.day1.mrc');
    writeFileSync(dotted, readFileSync(join(FIXTURES, 'bib-day1.mrc')));
    const message =
      'name ".1012676.pul.day1.mrc" would be refused: a file name must not start with \'.\' (clients and the server take such a name for a temporary file: it is left in the folder and never processed): 1012676.pul.day1.mrc';
    for (const args of [[dotted], [join(FIXTURES, 'bib-day1.mrc'), '--name', '.1012676.pul.day1.mrc']]) {
      const result = await runCli(['check', ...args]);
      expect(result.code).toBe(3);
      expect(result.stdout).toContain(message);
    }
  });

  it('takes the kind from Leader/06, or from --kind', async () => {
    const lhr = join(FIXTURES, 'lhr-3-copies.mrc');
    const detected = await runCli(['check', lhr, '--format', 'json']);
    expect(JSON.parse(detected.stdout)).toMatchObject({
      ok: true,
      files: [{ kind: 'lhr', kindFrom: 'records' }],
    });
    const forced = await runCli([
      'check',
      join(FIXTURES, 'bib-day1.mrc'),
      '--kind',
      'lhr',
      '--format',
      'json',
    ]);
    expect(forced.code).toBe(3);
    const [file] = (JSON.parse(forced.stdout) as { files: { refused: number; kindFrom: string }[] }).files;
    expect(file).toMatchObject({ refused: 3, kindFrom: 'flag' });
  });

  it('--format json is one document with every problem and the summary', async () => {
    using dir = tempDir();
    const out = join(dir.path, 'check.json');
    const result = await runCli([
      'check',
      BROKEN,
      join(FIXTURES, 'bib-day1.mrc'),
      '--format',
      'json',
      '--out',
      out,
    ]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    const doc = JSON.parse(readFileSync(out, 'utf8')) as {
      ok: boolean;
      files: { records: number; refused: number; problems: { record: number; message: string }[] }[];
    };
    expect(doc.ok).toBe(false);
    expect(doc.files.map((f) => [f.records, f.refused, f.problems.length])).toEqual([
      [12, 4, 5],
      [3, 0, 0],
    ]);
    expect(doc.files[0]?.problems[0]).toMatchObject({ record: 2, message: 'Record is sparse.' });
  });

  it('--format junit is well-formed JUnit XML with a test case per record with a problem', async () => {
    const result = await runCli(['check', BROKEN, '--name', '1012676.pul.bibs.mrc', '--format', 'junit']);
    expect(result.code).toBe(3);
    const suites: Record<string, string>[] = [];
    const cases: string[] = [];
    const parser = new SaxesParser();
    parser.on('opentag', (tag) => {
      const attributes = tag.attributes as Record<string, string>;
      if (tag.name === 'testsuite') suites.push(attributes);
      if (tag.name === 'testcase') cases.push(attributes['name'] ?? '');
    });
    parser.write(result.stdout).close();
    expect(suites).toEqual([expect.objectContaining({ tests: '6', failures: '4', errors: '0' })]);
    expect(cases).toContain('record 2 (byte 371) LSN 990000000020096421');
    expect(cases).toContain('upload name 1012676.pul.bibs.mrc');
    expect(result.stdout).toContain(
      '<failure message="Validation Error CRITICAL: Record is sparse." type="refused">',
    );
  });

  it('--stats prints the rate and peak memory to standard error', async () => {
    const result = await runCli(['check', join(FIXTURES, 'bib-day1.mrc'), '--stats']);
    expect(result.stderr).toMatch(/^check: 3 records in \d+\.\d\d s = \d+ records\/s, peak RSS \d+ MB\n$/);
  });

  it('exits 4 for a missing file and 2 for bad usage, with a message and no stack', async () => {
    const missing = await runCli(['check', 'no-such-export.mrc']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toBe(
      'datasync-sim: Failed to find "no-such-export.mrc": no such file (give the path of the exported MARC file to check).\n',
    );
    const kind = await runCli(['check', BROKEN, '--kind', 'authority']);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain("argument 'authority' is invalid");
    const twoNames = await runCli(['check', BROKEN, BROKEN, '--name', '1012676.pul.x.mrc']);
    expect(twoNames.code).toBe(2);
    expect(twoNames.stderr).toContain('--name names one upload');
    const unnamed = await runCli(['check', BROKEN, '--format', 'oclc']);
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toContain('give --symbol or an upload name');
    const keyList = await runCli(['check', BROKEN, '--name', '1012676.pul.deletes.csv']);
    expect(keyList.code).toBe(2);
    expect(keyList.stderr).toContain('key lists (.csv, .nsk) are not MARC');
    for (const r of [missing, kind, twoNames, unnamed, keyList]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('shows a progress bar on a terminal', async () => {
    using dir = tempDir();
    const file = join(dir.path, 'export.mrc');
    writeFileSync(file, Buffer.concat([...generateBibRecords({ count: 3000, seed: 2 })].map((r) => r.bytes)));
    // `script` gives the command a pseudo-terminal; the bar normally waits a second before it shows.
    const command = `node ${JSON.stringify(BIN)} check ${JSON.stringify(file)}`;
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], {
        env: { ...process.env, DATASYNC_SIM_PROGRESS_AFTER_MS: '0' },
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(out));
    });
    expect(output).toMatch(/export\.mrc \[[█░]+\] \d+% \d+\/\d+ bytes/);
    expect(output).toContain('3000 records read');
  });
});
