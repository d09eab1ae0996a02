import { describe, expect, it } from 'vitest';
import { accessToken, api, startApiSimulator } from '../../test/support/metadata-api-simulator.ts';

const CURRENT = '/manage/institution/holdings/current?oclcNumbers=1';

describe("Metadata API: the simulator's powers", () => {
  it('a fault rule for operation api answers its HTTP status; verify counts the calls by status', async () => {
    await using sim = await startApiSimulator();
    const token = await accessToken(sim);
    sim.faults.add({
      match: { operation: 'api', path: '/worldcat/manage/institution/holdings/*/set' },
      action: { status: 429 },
      times: 1,
    });
    const limited = await api(sim, token, 'POST', '/manage/institution/holdings/123/set');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toEqual({ message: 'Too Many Requests' });
    expect((await api(sim, token, 'POST', '/manage/institution/holdings/123/set')).status).toBe(200);
    sim.faults.add({
      match: { operation: 'api', account: 'pul-key' },
      action: { status: 503, message: 'down' },
      times: 1,
    });
    expect((await api(sim, token, 'GET', CURRENT)).status).toBe(503);
    expect(sim.journal.verify({ match: { operation: 'api', status: 429 }, count: 1 })).toMatchObject({
      ok: true,
    });
    expect(
      sim.journal.verify({
        match: { operation: 'api', path: '/worldcat/manage/institution/holdings/123/set' },
        count: 2,
      }),
    ).toMatchObject({ ok: true });
    expect(
      sim.journal
        .query({ operation: 'api', account: 'pul-key' })
        .map((e) => (e.data as { status: number }).status),
    ).toEqual([200, 429, 200, 503]);
  });

  it('refuses an HTTP status for SFTP operations and a status name for api, naming the fix', async () => {
    await using sim = await startApiSimulator();
    expect(() => sim.faults.add({ match: { operation: 'write' }, action: { status: 429 } })).toThrow(
      /operation "api" only/,
    );
    expect(() => sim.faults.add({ match: { operation: 'api' }, action: { status: 'failure' } })).toThrow(
      /HTTP status number/,
    );
  });

  it('rate limits per WSKey answer 429 with Retry-After, per second and per UTC day, on the simulator clock', async () => {
    await using sim = await startApiSimulator({
      institutions: [
        {
          symbol: 'PUL',
          password: 'pul-secret',
          collections: [{ id: '1012676', type: 'bib', default: true }],
          wskeys: [{ key: 'pul-key', secret: 'pul-secret-1', rateLimit: { perSecond: 2, perDay: 3 } }],
        },
      ],
    });
    const token = await accessToken(sim);
    expect((await api(sim, token, 'GET', CURRENT)).status).toBe(200);
    expect((await api(sim, token, 'GET', CURRENT)).status).toBe(200);
    const second = await api(sim, token, 'GET', CURRENT);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('1');
    sim.manual.advance(1000);
    expect((await api(sim, token, 'GET', CURRENT)).status).toBe(200);
    sim.manual.advance(1000);
    const day = await api(sim, token, 'GET', CURRENT);
    expect(day.status).toBe(429);
    // 15:00:02 UTC: the day ends in 8 h 59 min 58 s.
    expect(day.headers.get('retry-after')).toBe(String(9 * 3600 - 2));
    expect(sim.journal.query({ type: 'api:call' }).at(-1)?.data).toMatchObject({
      status: 429,
      limited: 'perDay',
    });
  });

  it('POST /api/metadata-api/tokens/expire ends live tokens: the next call answers 401, a new token works', async () => {
    await using sim = await startApiSimulator();
    const token = await accessToken(sim);
    const res = await fetch(`${sim.adminUrl}/api/metadata-api/tokens/expire`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(await res.json()).toEqual({ expired: 1 });
    expect((await api(sim, token, 'GET', CURRENT)).status).toBe(401);
    expect((await api(sim, await accessToken(sim), 'GET', CURRENT)).status).toBe(200);
  });
});
