import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { writeProfile } from '../support/client-profile.ts';
import { startFlakyProxy } from '../support/flaky-proxy.ts';
import { runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

describe('publish when the server closes the connection', () => {
  it('retries after a clean close mid-upload instead of waiting forever', async () => {
    await using sim = await startTestSimulator({ processing: 'manual' });
    using dir = tempDir();
    const proxy = await startFlakyProxy(
      { host: sim.sftp.host, port: sim.sftp.port },
      { failures: 1, cutAfter: 60_000, cut: 'close' },
    );
    try {
      const input = join(dir.path, 'big.mrc');
      writeFileSync(
        input,
        Buffer.concat([...generateBibRecords({ count: 600, seed: 3 })].map((r) => r.bytes)),
      );
      const profile = writeProfile(dir.path, sim, { port: proxy.port });
      const result = await runCli(['publish', '--profile', profile, '--job-id', '43', input], {
        env: { OCLC_PASSWORD: 'pul-secret' },
      });
      expect(result).toMatchObject({ code: 0 });
      expect(result.stderr).toMatch(/retrying 1012676\.pul\.bibs_43_new\.mrc \(attempt 2\)/);
      expect(result.stdout).toMatch(/1012676\.pul\.bibs_43_new\.mrc: .* uploaded after 2 attempts/);
      expect(result.code).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('retries: 1 means one more attempt after the first, then exit 69', async () => {
    await using sim = await startTestSimulator({ processing: 'manual' });
    using dir = tempDir();
    const proxy = await startFlakyProxy(
      { host: sim.sftp.host, port: sim.sftp.port },
      { failures: 5, cutAfter: 60_000 },
    );
    try {
      const input = join(dir.path, 'big.mrc');
      writeFileSync(
        input,
        Buffer.concat([...generateBibRecords({ count: 600, seed: 3 })].map((r) => r.bytes)),
      );
      const profile = writeProfile(dir.path, sim, { port: proxy.port });
      writeFileSync(profile, readFileSync(profile, 'utf8').replace('retries: 3', 'retries: 1'));
      const result = await runCli(['publish', '--profile', profile, '--job-id', '44', input], {
        env: { OCLC_PASSWORD: 'pul-secret' },
      });
      expect(result.code).toBe(69);
      expect(proxy.connections).toBe(2);
    } finally {
      await proxy.close();
    }
  });
});
