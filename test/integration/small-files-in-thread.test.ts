import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const TESTING = fileURLToPath(new URL('../../testing/index.ts', import.meta.url));
const GENERATE = fileURLToPath(new URL('../../oclc/marc/generate-bib-records.ts', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'in-thread-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * In a child whose processing worker cannot start (its script exits at once), a small file and a
 * large one are uploaded: the small one is processed on the main thread, the large one goes to a
 * worker, as it must so that it never blocks the SFTP server, and fails saying the worker exited.
 */
function outcomes(): { small: string; large: string; reason: string } {
  const brokenWorker = join(scratch, 'broken-worker.mjs');
  writeFileSync(brokenWorker, 'process.exit(3);\n');
  const script = `
    const { startTestSimulator, uploadFile, waitForOutcome } = await import(${JSON.stringify(TESTING)});
    const { generateBibRecords } = await import(${JSON.stringify(GENERATE)});
    const bytes = (count) => Buffer.concat([...generateBibRecords({ count, seed: 7 })].map((r) => r.bytes));
    const sim = await startTestSimulator();
    const login = { user: 'fx_pul', password: 'pul-secret' };
    await uploadFile(sim, { ...login, data: bytes(3), name: '1012676.pul.small.mrc' });
    const small = await waitForOutcome(sim, '1012676.pul.small.mrc');
    await uploadFile(sim, { ...login, data: bytes(200), name: '1012676.pul.large.mrc' });
    const large = await waitForOutcome(sim, '1012676.pul.large.mrc');
    await sim.stop();
    console.log(JSON.stringify({ small: small.state, large: large.state, reason: large.reason ?? '' }));
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, DATASYNC_SIM_WORKER_BUNDLE: brokenWorker },
  });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout) as { small: string; large: string; reason: string };
}

describe('small files on the main thread', () => {
  it('processes a small file without a worker thread and sends a large one to a worker', () => {
    const result = outcomes();
    expect(result.small).toBe('processed');
    expect(result.large).toBe('failed');
    expect(result.reason).toMatch(/^processing failed: /);
  });
});
