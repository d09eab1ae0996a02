import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULE = fileURLToPath(new URL('../../cli/keep-young-generation-small.ts', import.meta.url));

/**
 * V8 flags are one per process, so the check runs in a child: after churning through short-lived
 * objects (some surviving a while, as an upload's requests do), how large is the main thread's
 * young generation, and how large does a worker with the processing worker's limits start?
 */
function youngGenerations(keepSmall: boolean): { set: number; main: number; worker: number; gc: string } {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { Worker } from 'node:worker_threads';
    if (${keepSmall}) (await import(${JSON.stringify(MODULE)})).keepYoungGenerationSmall();
    const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
    const set = newSpace();
    const ring = new Array(20000);
    for (let i = 0; i < 3e6; i++) ring[i % ring.length] = { i, s: 'x' + i, a: [i, i] };
    const worker = new Worker(
      "Promise.all([import('node:worker_threads'), import('node:v8')]).then(([{ parentPort }, v8]) => " +
        "parentPort.postMessage(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size))",
      { eval: true, resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 16 } },
    );
    const started = await new Promise((resolve) => worker.once('message', resolve));
    await worker.terminate();
    console.log(JSON.stringify({ set, main: newSpace(), worker: started, gc: typeof globalThis.gc }));
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout) as { set: number; main: number; worker: number; gc: string };
}

describe('keepYoungGenerationSmall', () => {
  it('keeps the main thread young generation small, starts workers at their cap and exposes gc', () => {
    const grown = youngGenerations(false);
    const kept = youngGenerations(true);
    // Without the flags churn grows it to V8's 16-32 MiB; with them it stays at a few MiB (4 on a
    // quiet machine, 8 seen under CI load, where tsx's loading and the churn overlap collections).
    expect(grown.main).toBeGreaterThanOrEqual(16 << 20);
    expect(grown.main).toBeGreaterThan(grown.set);
    expect(kept.main).toBeLessThan(16 << 20);
    expect(kept.main).toBeLessThan(grown.main);
    expect(kept.worker).toBeGreaterThan(grown.worker);
    // And the SFTP layer's collector is there: serve and demo expose gc, a plain process does not.
    expect([grown.gc, kept.gc]).toEqual(['undefined', 'function']);
  });
});
