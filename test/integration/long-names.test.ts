import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { iso2709 } from '../../oclc/marc/write-marc.ts';
import { parseReportName } from '../../oclc/reports/parse-report.ts';
import { maxReportedNameBytes, reportedNameMatches } from '../../oclc/reports/report-name-limit.ts';
import { runCli } from '../support/run-cli.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator } from '../support/test-simulator.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const IN_BIB = '/xfer/metacoll/in/bib';
/** PUL's longest report: PUL-PUL.1012676.IN.BIB.D….T….<name>_99.BibUnresolvedCrossRefReport.txt */
const MAX = maxReportedNameBytes('PUL', 'PUL');
const named = (bytes: number): string => {
  const head = '1012676.pul.';
  return `${head}${'x'.repeat(Math.max(1, bytes - head.length - 4))}.mrc`;
};
const BIB = iso2709({
  leader: '00000nam a2200000 i 4500',
  fields: [
    ['001', '1'],
    ['008', '260115s2020    nyu           000 0 eng d'],
    ['035', '  ', 'a', '(OCoLC)100'],
    ['245', '10', 'a', 'Title'],
  ],
});

const outcome = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'ok',
    (e: Error) => e.message,
  );

describe('names too long for their reports (one rule: oclc/reports/report-name-limit.ts)', () => {
  it('strict mode: every length to 300 bytes is accepted up to the limit and refused above it, with the fix', async () => {
    expect(MAX).toBeGreaterThan(150);
    expect(MAX).toBeLessThan(185);
    await using sim = await startTestSimulator({ fileNames: 'strict', processing: 'manual' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    for (let bytes = 20; bytes <= 300; bytes++) {
      const name = named(bytes);
      const path = `${IN_BIB}/${name}`;
      const answer = await outcome(client.put(path, BIB));
      if (Buffer.byteLength(name) <= MAX) expect(answer, name).toBe('ok');
      else if (Buffer.byteLength(name) <= 255) {
        expect(answer).toContain(
          `the name is ${Buffer.byteLength(name)} bytes; names are at most ${MAX} bytes`,
        );
        expect(answer).toMatch(/: 1012676\.pul\.x+\.mrc$/);
      } else expect(answer).toMatch(/names are at most (255|\d+) bytes/);
      // STAT of any length is a plain answer, never an internal error.
      const stat = await outcome(client.stat(path));
      expect(stat).not.toMatch(/internal error|bug/i);
    }
    await client.put(`${IN_BIB}/long.part`, BIB);
    const renamed = await outcome(client.rename(`${IN_BIB}/long.part`, `${IN_BIB}/${named(300)}`));
    expect(renamed).toContain('the name is 300 bytes; names are at most 255 bytes');
    const accepted = sim.files.list({ state: 'queued' }).map((f) => Buffer.byteLength(f.name));
    expect(Math.max(...accepted)).toBe(MAX);
  });

  it('faithful mode: a 250-byte name is processed; its reports are shortened to fit and still match it', async () => {
    await using sim = await startTestSimulator({ fileNames: 'faithful', processing: 'immediate' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const name = named(250);
    const processed = sim.waitFor('file:processed');
    await client.put(`${IN_BIB}/${name}`, BIB);
    const file = await processed;
    expect(file.summary?.reports.length).toBeGreaterThan(0);
    const reports = (await client.readdir('/xfer/metacoll/reports')).map((e) => e.filename);
    expect(reports.length).toBeGreaterThan(0);
    for (const report of reports) {
      expect(Buffer.byteLength(report)).toBeLessThanOrEqual(255);
      const parsed = parseReportName(report);
      expect(parsed).toBeDefined();
      expect(reportedNameMatches(parsed?.originalName ?? '', name, 'PUL', 'PUL')).toBe(true);
      expect(reportedNameMatches(parsed?.originalName ?? '', named(249), 'PUL', 'PUL')).toBe(false);
    }
    expect(readdirSync(join(sim.dataDir, 'staging'))).toEqual([]);
  });

  it('check refuses a name processing could not report on, naming the limit and the fix', async () => {
    using dir = tempDir();
    const input = join(dir.path, 'f.mrc');
    writeFileSync(input, BIB);
    const name = named(200);
    const result = await runCli(['check', input, '--name', name]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(`the name is 200 bytes; names are at most ${MAX} bytes`);
  });
});
