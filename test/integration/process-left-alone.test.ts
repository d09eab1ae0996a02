import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { connectAs } from '../support/sftp-test-client.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

/** GCs the process ran while `work` ran, as [kind, forced]. */
async function collectionsDuring(work: () => Promise<void>): Promise<Array<[number, boolean]>> {
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  try {
    await work();
    // Entries are delivered on a later turn; one more macrotask lets the last ones arrive.
    await new Promise<void>((resolve) => setImmediate(resolve));
  } finally {
    observer.disconnect();
  }
  return entries.map((entry) => {
    const detail = (entry as PerformanceEntry & { detail: { kind: number; flags: number } }).detail;
    return [detail.kind, (detail.flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) !== 0];
  });
}

describe('a simulator in a host process leaves the process as it found it', () => {
  it('a 12 MiB upload exposes no gc and forces no collection (the CLI does that for its own process)', async () => {
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    await using sim = await startTestSimulator();
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const collections = await collectionsDuring(async () => {
      const queued = sim.waitFor('file:queued');
      await client.put('/xfer/metacoll/in/bib/1012676.pul.bibs.20260115.mrc', Buffer.alloc(12 << 20, 0x41));
      await queued;
    });
    // The upload did allocate (V8 collected on its own), but nothing of ours forced a collection.
    expect(collections.length).toBeGreaterThan(0);
    expect(collections.filter(([, forced]) => forced)).toEqual([]);
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
