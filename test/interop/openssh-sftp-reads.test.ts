import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { runOpenSshSftp } from '../support/openssh-sftp.ts';
import { requireTools } from '../support/require-tool.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

let sim: TestSimulator;
let dir: { path: string } & Disposable;

beforeAll(async () => {
  requireTools('sftp', 'sshpass');
  sim = await startTestSimulator({ processing: 'immediate' });
  dir = tempDir();
});

afterAll(async () => {
  await sim?.stop();
  dir?.[Symbol.dispose]();
});

describe('OpenSSH sftp downloads with large reads', () => {
  it('gets a report of several hundred kilobytes with -B 262144 (the largest buffer sftp allows)', async () => {
    const records = Buffer.concat([...generateBibRecords({ count: 6000, seed: 21 })].map((r) => r.bytes));
    const processed = sim.waitFor('file:processed');
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put('metacoll/in/bib/1012676.pul.reads.20260115.mrc', records);
    expect((await processed).state).toBe('processed');
    const reports = await client.readdir('/xfer/metacoll/reports');
    const largest = reports.sort((a, b) => b.attrs.size - a.attrs.size)[0];
    expect(largest?.attrs.size).toBeGreaterThan(300 * 1024);
    const name = largest?.filename ?? '';
    const result = await runOpenSshSftp({
      sim,
      dir: dir.path,
      user: 'fx_pul',
      password: 'pul-secret',
      batch: [`get /xfer/metacoll/reports/${name} report.txt`],
      extraArgs: ['-B', '262144'],
      timeoutMs: 30_000,
    });
    expect(result.stderr).not.toContain('too long');
    expect(result.code).toBe(0);
    expect(
      readFileSync(join(dir.path, 'report.txt')).equals(await client.get(`/xfer/metacoll/reports/${name}`)),
    ).toBe(true);
  });
});
