import { describe, expect, it } from 'vitest';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

describe('processing runs beside SFTP, not in its way', () => {
  it('uploads complete and are recorded while a large file is being processed', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const big = Buffer.concat([...generateBibRecords({ count: 60_000, seed: 21 })].map((r) => r.bytes));
    const processing = sim.waitFor('file:processing');
    const processed = sim.waitFor('file:processed', (f) => f.name === '1012676.pul.big.mrc', {
      timeoutMs: 60_000,
    });
    await client.put('metacoll/in/bib/1012676.pul.big.mrc', big);
    await processing;
    // While the worker streams the big file, the server answers and records other uploads.
    for (let i = 0; i < 5; i++) await client.put(`metacoll/in/lhr/1012677.pul.small${i}.mrc`, 'x');
    const states = sim.files.list().map((f) => [f.name, f.state]);
    expect(states[0]).toEqual(['1012676.pul.big.mrc', 'processing']);
    expect(
      states
        .slice(1)
        .map(([, state]) => state)
        .every((s) => s !== 'receiving'),
    ).toBe(true);
    expect(states).toHaveLength(6);
    await processed;
  }, 90_000);
});
