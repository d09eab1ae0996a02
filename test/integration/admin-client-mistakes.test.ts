import { describe, expect, it } from 'vitest';
import { adminRoutes } from '../../simulator/admin/admin-contract.ts';
import { requireTools } from '../support/require-tool.ts';
import { runProcess } from '../support/run-process.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

type Answer = { status: number; text: string };

async function send(
  sim: TestSimulator,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' },
): Promise<Answer> {
  const res = await fetch(`${sim.adminUrl}${path}`, { method: method.toUpperCase(), headers, body });
  return { status: res.status, text: await res.text() };
}

/** Each path parameter replaced by `value` (raw, already percent-encoded as sent). */
const withParams = (path: string, value: string): string => path.replace(/\{\w+\}/g, value);

/** Mistakes a client can make in a path parameter, a query or a body. */
const BAD_PARAMS = ['%E0%A4%A', '%', '%zz', '1e3', '-1', '0x10', '99999999999999999999', '%00', 'a%2Fb'];
const BAD_QUERIES = ['limit=1e3', 'limit=-1', 'offset=x', 'since=%E0%A4%A', 'file=1.5', 'state=%'];
const BAD_BODIES = ['[]', '"text"', '{"by": null}', 'null', '{', '{"x": 1}', '1e999'];
const BAD_TYPES = ['application/json; charset=latin1', 'application/json; charset=utf-16', 'text/plain', ''];

describe('the admin API answers every client mistake with a 4xx and a reason', () => {
  it('never answers 5xx or "This is a bug" to a bad path parameter, query or body, on any route', async () => {
    await using sim = await startTestSimulator({ clock: 'manual' });
    const failures: string[] = [];
    const check = async (method: string, path: string, body?: string, headers?: Record<string, string>) => {
      const answer = await send(sim, method, path, body, headers);
      if (answer.status >= 500 || /This is a bug/.test(answer.text))
        failures.push(
          `${method.toUpperCase()} ${path} ${body ?? ''} -> ${answer.status} ${answer.text.slice(0, 160)}`,
        );
    };
    for (const route of Object.values(adminRoutes)) {
      if (route.path === '/api/events') continue; // a stream that stays open
      const raw = 'rawBody' in route ? route.rawBody : undefined;
      // The body a well-formed request of this route carries, so the guard lets it through.
      const body = route.method === 'get' ? undefined : raw ? 'bytes' : '{}';
      const type = raw ? { 'content-type': raw.mediaType } : undefined;
      for (const value of /\{\w+\}/.test(route.path) ? BAD_PARAMS : [])
        await check(route.method, withParams(route.path, value), body, type);
      const plain = withParams(route.path, '1');
      for (const query of BAD_QUERIES) await check(route.method, `${plain}?${query}`, body, type);
      if (body === '{}') {
        for (const bad of BAD_BODIES) await check(route.method, plain, bad);
        for (const contentType of BAD_TYPES)
          await check(route.method, plain, '{}', { 'content-type': contentType });
        await check(route.method, plain, 'x', {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
        });
      }
    }
    expect(failures).toEqual([]);
  });

  it('reads ids strictly: /api/files/1e3 is not file 1000, and says how to write one', async () => {
    await using sim = await startTestSimulator({ clock: 'manual' });
    for (const id of ['1e3', '0x3e8', '1000.0', '+1000', ' 1000']) {
      const answer = await send(sim, 'get', `/api/files/${encodeURIComponent(id)}`);
      expect(answer.status, id).toBe(400);
      expect(answer.text).toContain('write it in digits');
    }
    expect((await send(sim, 'get', '/api/files/1000')).status).toBe(404);
    expect((await send(sim, 'get', '/api/journal?limit=1e3')).status).toBe(400);
  });

  it('answers 400 with the reason to a bad percent-encoding in a path parameter', async () => {
    await using sim = await startTestSimulator({ clock: 'manual' });
    const answer = await send(sim, 'get', '/api/institutions/%E0%A4%A/holdings');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({
      error: {
        code: 'REQUEST_INVALID',
        message:
          'Failed to answer GET /api/institutions/%E0%A4%A/holdings: the path is not valid percent-encoding ' +
          '(write a character outside A-Z, a-z, 0-9 and -._~ as %XX per UTF-8 byte, e.g. @ as %40). ' +
          'GET /api/openapi.json describes every request.',
      },
    });
  });

  it('takes a bodiless DELETE with no Content-Type (curl -X DELETE), on every DELETE route', async () => {
    requireTools('curl');
    await using sim = await startTestSimulator({
      sftp: { host: '127.0.0.1', port: 0, defender: { threshold: 1, window: '5m', ban: '15m' } },
    });
    const banned = sim.waitFor('defender:banned');
    await connectAs(sim, 'fx_pul', 'wrong').catch(() => undefined);
    await banned;
    const curl = (path: string) =>
      runProcess('curl', ['-sS', '-X', 'DELETE', '-w', '\n%{http_code}', `${sim.adminUrl}${path}`], {
        cwd: sim.dataDir,
      });
    const unban = await curl('/api/defender/127.0.0.1');
    expect(unban.stdout.trim().split('\n').at(-1)).toBe('200');
    expect(sim.defender.list()).toEqual([]);
    const fault = sim.faults.addRule({ match: { operation: 'login' }, action: { refuse: true } });
    expect((await curl(`/api/faults/${fault.id}`)).stdout.trim().split('\n').at(-1)).toBe('200');
    expect((await curl('/api/faults')).stdout.trim().split('\n').at(-1)).toBe('200');
    // A POST still needs JSON: a bodiless cross-origin POST is a "simple" request a page can send.
    const post = await send(sim, 'post', '/api/reset');
    expect(post.status).toBe(415);
  });
});
