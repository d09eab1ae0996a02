import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateBibRecords, generatedLsn } from '../../oclc/marc/generate-bib-records.ts';
import { generateLhrRecords } from '../../oclc/marc/generate-lhr-records.ts';
import { Iso2709Reader } from '../../oclc/marc/iso2709-reader.ts';
import { writeProfile } from '../support/client-profile.ts';
import { startFlakyProxy } from '../support/flaky-proxy.ts';
import { BIN, runCli } from '../support/run-cli.ts';
import { spawn } from 'node:child_process';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

const ENV = { OCLC_PASSWORD: 'pul-secret' };

function writeRecords(file: string, generated: Iterable<{ bytes: Buffer }>): void {
  writeFileSync(file, Buffer.concat([...generated].map((r) => r.bytes)));
}

function records(file: string) {
  const reader = new Iso2709Reader();
  return [...reader.push(readFileSync(file)), ...reader.end()].flatMap((i) =>
    i.kind === 'record' ? [i.record] : [],
  );
}

describe('the client against the simulator', () => {
  it('bib round trip: publish → process → reports fetch → writeback', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    using dir = tempDir();
    const input = join(dir.path, 'export.mrc');
    writeRecords(input, generateBibRecords({ count: 40, seed: 5, defects: { sparse: 2 } }));
    const profile = writeProfile(dir.path, sim);

    const published = await runCli(['publish', '--profile', profile, '--job-id', '2815040772', input], {
      env: ENV,
    });
    expect(published.stderr).toBe('');
    expect(published.code).toBe(0);
    expect(published.stdout).toMatch(
      /^part 1\/2 1012676\.pul\.bibs_2815040772_new\.mrc: \d+ records, \d+ bytes, uploaded$/m,
    );
    expect(published.stdout).toMatch(
      /^part 2\/2 1012676\.pul\.bibs_2815040772_delete\.mrc: \d+ records, \d+ bytes, uploaded$/m,
    );

    const out = join(dir.path, 'reports');
    const fetched = await runCli(
      [
        'reports',
        'fetch',
        '--profile',
        profile,
        '--out',
        out,
        '--wait',
        '20s',
        '--interval',
        '100ms',
        '--json',
      ],
      { env: ENV },
    );
    expect(fetched.code).toBe(0);
    const result = JSON.parse(fetched.stdout) as {
      complete: boolean;
      downloaded: string[];
      files: {
        file: string;
        records: number;
        actions: Record<string, number>;
        exceptions: Record<string, number>;
      }[];
    };
    expect(result.complete).toBe(true);
    expect(result.files.map((f) => f.records).reduce((a, b) => a + b)).toBe(40);
    expect(result.files[0]?.exceptions['Validation Error CRITICAL']).toBe(2);
    const again = await runCli(['reports', 'fetch', '--profile', profile, '--out', out, '--json'], {
      env: ENV,
    });
    expect((JSON.parse(again.stdout) as { downloaded: string[] }).downloaded).toEqual([]);

    const processingReport = join(
      out,
      result.downloaded.find((n) => n.includes('_new.mrc.BibProcessingReport')) ?? '',
    );
    const parsed = await runCli(['reports', 'parse', processingReport]);
    const [report] = JSON.parse(parsed.stdout) as { kind: string; rows: { action: string }[] }[];
    expect(report?.kind).toBe('BibProcessingReport');
    expect(report?.rows.length).toBe(result.files[0]?.records);

    const updated = join(dir.path, 'updated.mrc');
    const csv = join(dir.path, 'exceptions.csv');
    const wb = await runCli([
      'writeback',
      '--reports',
      out,
      '--records',
      input,
      '--out',
      updated,
      '--exceptions',
      csv,
      '--json',
    ]);
    expect(wb.code).toBe(0);
    const counts = JSON.parse(wb.stdout) as {
      records: number;
      added: number;
      replaced: number;
      unchanged: number;
    };
    expect(counts.records).toBe(40);
    const before = records(input);
    const after = records(updated);
    expect(after).toHaveLength(40);
    const crossRef = readFileSync(
      join(out, result.downloaded.find((n) => n.includes('_new.mrc.BibCrossRefReport')) ?? ''),
      'utf8',
    )
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    for (const [lsn, ocn] of crossRef) {
      const record = after.find((r) => r.control('001') === lsn);
      expect(record?.values('035', 'a')).toContain(`(OCoLC)${ocn}`);
    }
    expect(counts.added + counts.unchanged + counts.replaced).toBeGreaterThan(0);
    expect(before.filter((r) => r.first('035', 'a')).length).toBeLessThan(
      after.filter((r) => r.first('035', 'a')).length,
    );
    expect(readFileSync(csv, 'utf8')).toMatch(/^lsn,kind,ocn,message\n/);
    // The generator plants the two sparse records at indexes 10 and 30.
    for (const index of [10, 30]) {
      expect(readFileSync(csv, 'utf8')).toContain(`${generatedLsn(index, 5)},exception,8`);
      expect(readFileSync(csv, 'utf8')).toContain(`${generatedLsn(index, 5)},unresolved,8`);
    }
    expect(readFileSync(csv, 'utf8')).toContain('Validation Error: CRITICAL: Record is sparse.');
  });

  it("LHR round trip keeps each OCN's copies together and reports replace-all", async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    using dir = tempDir();
    const input = join(dir.path, 'holdings.mrc');
    writeRecords(input, generateLhrRecords({ count: 12, seed: 2, symbol: 'PUL', copiesPerOcn: 3 }));
    const profile = writeProfile(dir.path, sim, {
      kind: 'lhr',
      collectionId: '1012677',
      label: 'lhr',
      extra: 'limits: { maxRecordsPerFile: 4 }\n',
    });
    const published = await runCli(['publish', '--profile', profile, '--job-id', '77', input], { env: ENV });
    expect(published.code).toBe(0);
    expect(published.stdout.match(/^part \d\/\d 1012677\.pul\.lhr_77-\d_new\.mrc: 3 records/gm)).toHaveLength(
      4,
    );
    const fetched = await runCli(
      [
        'reports',
        'fetch',
        '--profile',
        profile,
        '--out',
        join(dir.path, 'r'),
        '--wait',
        '20s',
        '--interval',
        '100ms',
      ],
      { env: ENV },
    );
    expect(fetched.code).toBe(0);
    expect(fetched.stdout).toMatch(/1012677\.pul\.lhr_77-1_new\.mrc: 3 records \(create 3\)/);
    const res = await fetch(`${sim.adminUrl}/api/institutions/PUL/lhrs`);
    expect(((await res.json()) as { lhrs: unknown[] }).lhrs).toHaveLength(12);
  });

  it('retries a dropped connection and re-sends the part whole; confirmed parts are never sent twice', async () => {
    await using sim = await startTestSimulator({ processing: 'manual' });
    using dir = tempDir();
    const proxy = await startFlakyProxy(
      { host: sim.sftp.host, port: sim.sftp.port },
      { failures: 1, cutAfter: 60_000 },
    );
    try {
      const input = join(dir.path, 'big.mrc');
      writeRecords(input, generateBibRecords({ count: 600, seed: 3 }));
      const profile = writeProfile(dir.path, sim, { port: proxy.port });
      const first = await runCli(['publish', '--profile', profile, '--job-id', '42', input], { env: ENV });
      expect(first.code).toBe(0);
      expect(first.stderr).toMatch(/retrying 1012676\.pul\.bibs_42_new\.mrc \(attempt 2\)/);
      expect(first.stdout).toMatch(/1012676\.pul\.bibs_42_new\.mrc: .* uploaded after 2 attempts/);
      const states = sim.files
        .list()
        .filter((f) => f.name === '1012676.pul.bibs_42_new.mrc')
        .map((f) => f.state);
      expect(states).toEqual(['incomplete', 'queued']);
      const second = await runCli(['publish', '--profile', profile, '--job-id', '42', input], { env: ENV });
      expect(second.stdout).toMatch(/1012676\.pul\.bibs_42_new\.mrc: .* already confirmed, not sent again/);
      expect(sim.files.list().filter((f) => f.state === 'queued')).toHaveLength(2);
    } finally {
      await proxy.close();
    }
  });

  it('refuses a server whose host key is not the pinned one, and a name the server refuses', async () => {
    await using sim = await startTestSimulator();
    using dir = tempDir();
    const input = join(dir.path, 'x.mrc');
    writeRecords(input, generateBibRecords({ count: 2, seed: 1 }));
    const wrongKey = writeProfile(dir.path, sim, {
      fingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      label: 'k',
    });
    const refused = await runCli(['publish', '--profile', wrongKey, input], { env: ENV });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      `its host key ${sim.sftp.hostKeyFingerprint} does not match the pinned SHA256:AAAA`,
    );
    const wrongCollection = writeProfile(dir.path, sim, { collectionId: '1234567', label: 'c' });
    const name = await runCli(['publish', '--profile', wrongCollection, input], { env: ENV });
    expect(name.code).toBe(3);
    expect(name.stderr).toContain('the server refused it: Failed to upload "1234567.pul.c_');
    expect(name.stderr).toContain('collection ID 1234567 is not one of this institution');
  });

  it('shows a progress bar on a terminal', async () => {
    await using sim = await startTestSimulator();
    using dir = tempDir();
    const input = join(dir.path, 'x.mrc');
    writeRecords(input, generateBibRecords({ count: 300, seed: 6 }));
    const profile = writeProfile(dir.path, sim);
    // `script` gives the command a pseudo-terminal, as an operator's shell would.
    const command = `node ${JSON.stringify(BIN)} publish --profile ${JSON.stringify(profile)} --job-id 3 ${JSON.stringify(input)}`;
    const result = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, ...ENV } });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out }));
    });
    expect(result.code).toBe(0);
    expect(result.out).toMatch(
      /part 1\/2 1012676\.pul\.bibs_3_new\.mrc \[[█░]+\] 100% \d+\/\d+ bytes, \d+ records/,
    );
  });

  it('--dry-run prints the plan without connecting', async () => {
    using dir = tempDir();
    const input = join(dir.path, 'x.mrc');
    writeRecords(input, generateBibRecords({ count: 20, seed: 4 }));
    const profile = writeProfile(dir.path, {
      sftp: {
        host: '127.0.0.1',
        port: 1,
        hostKeyFingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      },
    });
    // No password in the environment: a plan that never connects needs none.
    const env = { ...ENV, OCLC_PASSWORD: undefined };
    const result = await runCli(['publish', '--profile', profile, '--dry-run', '--job-id', '9', input], {
      env,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^plan for job 9, into metacoll\/in\/bib on 127\.0\.0\.1:1 \(nothing sent\):\n {2}1012676\.pul\.bibs_9_new\.mrc {2}\d+ records {2}\d+ bytes\n/,
    );
  });
});
