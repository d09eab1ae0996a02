import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { writeProfile } from '../support/client-profile.ts';
import { runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

const ENV = { OCLC_PASSWORD: 'pul-secret' };

describe('reports fetch and the folder it saves into', () => {
  it('downloads again into a new --out, and after the folder was deleted', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    using dir = tempDir();
    const input = join(dir.path, 'export.mrc');
    writeFileSync(input, Buffer.concat([...generateBibRecords({ count: 5, seed: 2 })].map((r) => r.bytes)));
    const profile = writeProfile(dir.path, sim);
    const processed = sim.waitFor('file:processed');
    expect((await runCli(['publish', '--profile', profile, '--job-id', '7', input], { env: ENV })).code).toBe(
      0,
    );
    await processed;
    const fetch = (out: string) =>
      runCli(['reports', 'fetch', '--profile', profile, '--out', join(dir.path, out), '--json'], {
        env: ENV,
      });

    const first = await fetch('a');
    expect(first.code).toBe(0);
    const downloaded = (JSON.parse(first.stdout) as { downloaded: string[] }).downloaded;
    expect(downloaded.length).toBeGreaterThan(0);

    const elsewhere = await fetch('b');
    expect(elsewhere.stderr).toBe('');
    expect(elsewhere.code).toBe(0);
    expect((JSON.parse(elsewhere.stdout) as { downloaded: string[] }).downloaded).toEqual(downloaded);

    rmSync(join(dir.path, 'a'), { recursive: true });
    const afterDelete = await fetch('a');
    expect(afterDelete.stderr).toBe('');
    expect(afterDelete.code).toBe(0);
    expect((JSON.parse(afterDelete.stdout) as { complete: boolean }).complete).toBe(true);
  });

  it('refuses a corrupt state.json instead of sending confirmed parts again', async () => {
    await using sim = await startTestSimulator();
    using dir = tempDir();
    const input = join(dir.path, 'export.mrc');
    writeFileSync(input, Buffer.concat([...generateBibRecords({ count: 3, seed: 2 })].map((r) => r.bytes)));
    const profile = writeProfile(dir.path, sim);
    expect((await runCli(['publish', '--profile', profile, '--job-id', '8', input], { env: ENV })).code).toBe(
      0,
    );
    const uploads = sim.files.list().length;
    const stateFile = join(dir.path, 'state', 'state.json');
    writeFileSync(stateFile, '{"published": [');
    const again = await runCli(['publish', '--profile', profile, '--job-id', '8', input], { env: ENV });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`Failed to read "${stateFile}": it is not valid JSON`);
    expect(again.stderr).not.toMatch(/\n\s+at /);
    expect(sim.files.list()).toHaveLength(uploads);
  });
});
