import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { connectAs } from '../../test/support/sftp-test-client.ts';
import { startTestSimulator } from '../../test/support/test-simulator.ts';
import { createAdminApp } from './admin-app.ts';

describe('admin API', () => {
  it('GET /api/health reports the SFTP endpoint, host key and accounts', async () => {
    await using sim = await startTestSimulator();
    const res = await request(createAdminApp(sim)).get('/api/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      sftp: { host: '127.0.0.1', port: sim.sftp.port, hostKeyFingerprint: sim.sftp.hostKeyFingerprint },
      fileNames: 'strict',
      institutions: expect.arrayContaining([
        {
          symbol: 'AB@',
          accounts: ['fx_ab_64', 'ab_64'],
          collections: [
            { id: '1234567', type: 'bib' },
            { id: '7654321', type: 'lhr' },
          ],
        },
      ]),
    });
  });

  it('GET /api/files lists every upload with its state and violations, and filters', async () => {
    await using sim = await startTestSimulator();
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put('metacoll/in/bib/1012676.pul.good.mrc', 'abc');
    await client.put('metacoll/in/bib/1012676.pul.bad name.mrc', 'abc').catch(() => undefined);
    const app = createAdminApp(sim);
    const all = await request(app).get('/api/files').expect(200);
    expect(all.body.files).toHaveLength(2);
    expect(all.body.files[0]).toMatchObject({
      account: 'fx_pul',
      name: '1012676.pul.good.mrc',
      kind: 'bib',
      collectionId: '1012676',
      state: 'queued',
      size: 3,
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      receivedAt: expect.any(Number),
    });
    const refused = await request(app).get('/api/files?state=refused').expect(200);
    expect(refused.body.files).toEqual([
      expect.objectContaining({
        name: '1012676.pul.bad name.mrc',
        violations: [{ code: 'space', reason: 'spaces are not allowed in file names' }],
      }),
    ]);
    const one = await request(app).get(`/api/files/${all.body.files[0].id}`).expect(200);
    expect(one.body.name).toBe('1012676.pul.good.mrc');
  });

  it('answers unknown paths, ids and filters with a catalogued JSON error', async () => {
    await using sim = await startTestSimulator();
    const app = createAdminApp(sim);
    const missing = await request(app).get('/api/files/999').expect(404);
    expect(missing.body.error).toEqual({ code: 'NOT_FOUND', message: expect.stringContaining('file 999') });
    const badState = await request(app).get('/api/files?state=lost').expect(400);
    expect(badState.body.error.message).toContain('state must be one of receiving, received, queued');
    await request(app).get('/api/nothing').expect(404);
  });

  it('serves the same API on the admin port', async () => {
    await using sim = await startTestSimulator();
    const res = await fetch(`${sim.adminUrl}/api/health`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe('ok');
  });

  it('GET /api/journal shows what the simulator saw', async () => {
    await using sim = await startTestSimulator();
    await connectAs(sim, 'fx_pul', 'wrong').catch(() => undefined);
    const res = await request(createAdminApp(sim)).get('/api/journal?type=auth:refused').expect(200);
    expect(res.body.entries[0]).toMatchObject({
      type: 'auth:refused',
      account: 'fx_pul',
      message: 'wrong password',
    });
  });
});
