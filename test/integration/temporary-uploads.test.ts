import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createAdminApp } from '../../simulator/admin/admin-app.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

describe('uploads under a temporary name', () => {
  it('are shown as temporary in /api/files until renamed; the final name takes over', async () => {
    await using sim = await startTestSimulator();
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const app = createAdminApp(sim);
    await client.put('metacoll/in/bib/.1012676.pul.bibs.mrc', 'abc');
    const during = await request(app).get('/api/files?state=temporary').expect(200);
    expect(during.body.files).toEqual([
      expect.objectContaining({ name: '.1012676.pul.bibs.mrc', state: 'temporary', account: 'fx_pul' }),
    ]);
    const queued = sim.waitFor('file:queued');
    await client.rename('metacoll/in/bib/.1012676.pul.bibs.mrc', 'metacoll/in/bib/1012676.pul.bibs.mrc');
    await queued;
    const after = await request(app).get('/api/files').expect(200);
    expect(after.body.files.map((f: { name: string; state: string }) => [f.name, f.state])).toEqual([
      ['1012676.pul.bibs.mrc', 'queued'],
    ]);
  });

  it('one its session leaves without renaming is journalled as abandoned and stays temporary', async () => {
    await using sim = await startTestSimulator();
    const client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put('metacoll/in/bib/1012676.pul.bibs.mrc.filepart', 'abc');
    const abandoned = sim.waitFor('upload:abandoned');
    await client[Symbol.asyncDispose]();
    expect(await abandoned).toMatchObject({ name: '1012676.pul.bibs.mrc.filepart', state: 'temporary' });
    const journal = await request(createAdminApp(sim)).get('/api/journal?type=upload:abandoned').expect(200);
    expect(journal.body.entries).toHaveLength(1);
    expect(sim.files.list().map((f) => [f.name, f.state])).toEqual([
      ['1012676.pul.bibs.mrc.filepart', 'temporary'],
    ]);
  });

  it('one resumed by a later session keeps a single record, gone once renamed', async () => {
    await using sim = await startTestSimulator({ pickupDelay: '1h' });
    const first = await connectAs(sim, 'fx_pul', 'pul-secret');
    await first.put('metacoll/in/bib/1012676.pul.bibs.mrc.part', 'abc');
    const abandoned = sim.waitFor('upload:abandoned');
    await first[Symbol.asyncDispose]();
    await abandoned;
    await using second = await connectAs(sim, 'fx_pul', 'pul-secret');
    const handle = await second.open('metacoll/in/bib/1012676.pul.bibs.mrc.part', 'a');
    await second.write(handle, Buffer.from('def'), 3);
    await second.close(handle);
    expect(sim.files.list().map((f) => [f.name, f.state, f.reason])).toEqual([
      ['1012676.pul.bibs.mrc.part', 'temporary', null],
    ]);
    await second.rename('metacoll/in/bib/1012676.pul.bibs.mrc.part', 'metacoll/in/bib/1012676.pul.bibs.mrc');
    expect(sim.files.list().map((f) => [f.name, f.state, f.size])).toEqual([
      ['1012676.pul.bibs.mrc', 'received', 6],
    ]);
  });
});
