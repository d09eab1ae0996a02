import { describe, expect, it } from 'vitest';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

describe('processing runs beside SFTP, not in its way', () => {
  it('uploads complete and are recorded while a large file is being processed', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const big = Buffer.concat([...generateBibRecords({ count: 60_000, seed: 21 })].map((r) => r.bytes));
    const order: string[] = [];
    for (const event of ['processing:progress', 'file:processed', 'upload:received'] as const)
      sim.events.on(event, (e: { name: string }) => order.push(`${event} ${e.name}`));
    // The worker has read records of the big file: processing is under way, by its own report.
    const underWay = sim.waitFor('processing:progress', (p) => p.records > 0);
    const processed = sim.waitFor('file:processed', (f) => f.name === '1012676.pul.big.mrc', {
      timeoutMs: 60_000,
    });
    await client.put('metacoll/in/bib/1012676.pul.big.mrc', big);
    await underWay;
    for (let i = 0; i < 5; i++) await client.put(`metacoll/in/lhr/1012677.pul.small${i}.mrc`, 'x');
    await processed;
    // Every small upload was received after processing began and before it ended: the server
    // answered SFTP while the worker streamed the big file.
    const end = order.indexOf('file:processed 1012676.pul.big.mrc');
    const start = order.findIndex((e) => e.startsWith('processing:progress 1012676.pul.big.mrc'));
    const received = [0, 1, 2, 3, 4].map((i) => order.indexOf(`upload:received 1012677.pul.small${i}.mrc`));
    expect(received.every((at) => at > start && at < end)).toBe(true);
    expect(
      sim.files
        .list()
        .filter((f) => f.name.startsWith('1012677.pul.small'))
        .map((f) => f.state),
    ).toEqual(Array(5).fill('queued'));
  }, 90_000);
});
