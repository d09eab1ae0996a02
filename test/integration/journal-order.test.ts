import { describe, expect, it } from 'vitest';
import { connectAs } from '../support/sftp-test-client.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

describe('the journal', () => {
  it('records a file as queued before it records it processing', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const processed = sim.waitFor('file:processed');
    await client.put('metacoll/in/bib/1012676.pul.order.mrc', '');
    await processed;
    const types = sim.journal
      .list({})
      .map((e) => e.type)
      .filter((t) => t.startsWith('file:') || t.startsWith('upload:'));
    expect(types).toEqual([
      'upload:started',
      'upload:received',
      'file:queued',
      'file:processing',
      'file:processed',
    ]);
  });
});
