import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createAdminApp } from '../../simulator/admin/admin-app.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

describe('PUT /api/institutions/{symbol}/files/{name}', () => {
  it('goes through the SFTP intake: recorded and hashed, then picked up into the queue', async () => {
    await using sim = await startTestSimulator();
    const queued = sim.waitFor('file:queued');
    const res = await request(createAdminApp(sim))
      .put('/api/institutions/PUL/files/1012677.pul.holdings.mrc')
      .set('content-type', 'application/octet-stream')
      .send(Buffer.from('abc'))
      .expect(200);
    expect(res.body).toMatchObject({
      account: 'fx_pul',
      name: '1012677.pul.holdings.mrc',
      folder: '/xfer/metacoll/in/lhr',
      kind: 'lhr',
      size: 3,
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    });
    expect((await queued).id).toBe(res.body.id);
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    expect(await client.readdir('metacoll/in/lhr')).toEqual([]);
  });

  it("refuses a bad name with 422 and the rule's message, as SFTP does", async () => {
    await using sim = await startTestSimulator();
    const refused = sim.waitFor('upload:refused');
    const res = await request(createAdminApp(sim))
      .put(`/api/institutions/AB%40/files/${encodeURIComponent('1234567.ab@.books.mrc')}`)
      .set('content-type', 'application/octet-stream')
      .send(Buffer.from('abc'))
      .expect(422);
    expect(res.body.error.code).toBe('FILE_NAME_REJECTED');
    expect(res.body.error.message).toContain('1234567.ab_64.books.mrc');
    expect((await refused).account).toBe('fx_ab_64');
  });

  it('takes only application/octet-stream', async () => {
    await using sim = await startTestSimulator();
    const res = await request(createAdminApp(sim))
      .put('/api/institutions/PUL/files/1012676.pul.a.mrc')
      .set('content-type', 'text/plain')
      .send('abc')
      .expect(415);
    expect(res.body.error.message).toContain('application/octet-stream');
  });
});
