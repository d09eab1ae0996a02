import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { startTestSimulator } from '../../test/support/test-simulator.ts';
import { createAdminApp } from './admin-app.ts';

describe('admin API: requests that do not match the contract', () => {
  it('answer 400 REQUEST_INVALID, for a bad query and a bad body alike', async () => {
    await using sim = await startTestSimulator({ clock: 'manual' });
    const app = createAdminApp(sim);
    const badQuery = await request(app).get('/api/files?state=lost').expect(400);
    expect(badQuery.body.error.code).toBe('REQUEST_INVALID');
    const badLimit = await request(app).get('/api/journal?limit=lots').expect(400);
    expect(badLimit.body.error.code).toBe('REQUEST_INVALID');
    const badBody = await request(app).post('/api/clock/advance').send({ by: 'soon' }).expect(400);
    expect(badBody.body.error.code).toBe('REQUEST_INVALID');
    expect(badBody.body.error.message).toContain('"soon" is not a duration; write it like 30s, 5m or 4h');
    const noBody = await request(app).post('/api/clock/advance').send({}).expect(400);
    expect(noBody.body.error.code).toBe('REQUEST_INVALID');
    await request(app).post('/api/clock/advance').send({ by: '4h' }).expect(200);
  });
});
