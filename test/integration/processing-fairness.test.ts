import { describe, expect, it } from 'vitest';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

const generated = (count: number, seed: number): Buffer =>
  Buffer.concat([...generateBibRecords({ count, seed })].map((r) => r.bytes));

describe('fair processing across institutions', () => {
  it("one institution's large file does not hold back another's small file; each keeps its own order", async () => {
    await using sim = await startTestSimulator({ processing: 'manual' });
    await using pul = await connectAs(sim, 'fx_pul', 'pul-secret');
    await using ab = await connectAs(sim, 'fx_ab_64', 'ab-secret');
    await pul.put('metacoll/in/bib/1012676.pul.large.mrc', generated(30_000, 1));
    await pul.put('metacoll/in/bib/1012676.pul.next.mrc', generated(2, 2));
    await ab.put('metacoll/in/bib/1234567.ab_64.small.mrc', generated(2, 3));
    const order: string[] = [];
    const unsubscribe = sim.events.on('file:processed', (record) => order.push(record.name));
    const files = await sim.processing.run();
    unsubscribe();
    expect(files.map((f) => f.state)).toEqual(['processed', 'processed', 'processed']);
    expect(order).toEqual(['1234567.ab_64.small.mrc', '1012676.pul.large.mrc', '1012676.pul.next.mrc']);
  }, 120_000);
});
