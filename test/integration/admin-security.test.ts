import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { defineConfig } from '../../simulator/config/load-config.ts';
import { runCli } from '../support/run-cli.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { TEST_INSTITUTIONS, startTestSimulator } from '../support/test-simulator.ts';

const TOKEN = 'a-long-enough-admin-token';

interface Answer {
  status: number;
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
}

/** A raw HTTP request, so the test controls every header (Host included), as a browser would send it. */
function send(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: hostname, port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Answer['body'] }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the admin API against a web page', () => {
  it('refuses a cross-origin simple request (text/plain POST /api/reset) with 415 and keeps the state', async () => {
    await using sim = await startTestSimulator();
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put('/xfer/metacoll/in/bib/1012676.pul.keep.mrc', 'x');
    const answer = await send(sim.adminUrl, {
      method: 'POST',
      path: '/api/reset',
      headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
      body: '{}',
    });
    expect(answer.status).toBe(415);
    expect(answer.body.error?.code).toBe('ADMIN_MEDIA_TYPE');
    const bare = await send(sim.adminUrl, { method: 'POST', path: '/api/reset' });
    expect(bare.status).toBe(415);
    expect(sim.files.list()).toHaveLength(1);
  });

  it('refuses a foreign Host header (DNS rebinding) with 403 on every route', async () => {
    await using sim = await startTestSimulator();
    const host = `rebind.evil.example:${sim.admin.port}`;
    for (const [method, path] of [
      ['GET', '/api/files'],
      ['GET', '/api/health'],
      ['POST', '/api/reset'],
    ] as const) {
      const answer = await send(sim.adminUrl, {
        method,
        path,
        headers: { host, 'content-type': 'application/json' },
        body: method === 'POST' ? '{}' : undefined,
      });
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect(answer.body.error?.code).toBe('ADMIN_HOST_REFUSED');
    }
    const ok = await send(sim.adminUrl, {
      path: '/api/files',
      headers: { host: `localhost:${sim.admin.port}` },
    });
    expect(ok.status).toBe(200);
  });

  it('answers malformed JSON with 400 and an oversized body with 413, in the error shape', async () => {
    await using sim = await startTestSimulator({ clock: 'manual' });
    const json = { 'content-type': 'application/json' };
    const malformed = await send(sim.adminUrl, {
      method: 'POST',
      path: '/api/clock/advance',
      headers: json,
      body: '{"by": ',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error?.code).toBe('ADMIN_BODY_MALFORMED');
    const huge = await send(sim.adminUrl, {
      method: 'POST',
      path: '/api/clock/advance',
      headers: json,
      body: JSON.stringify({ by: 'x'.repeat(200_000) }),
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error?.message).toMatch(/larger than 100kb/);
  });
});

describe('the admin token', () => {
  it('is needed by every route but GET /api/health, which then says only that it is up', async () => {
    await using sim = await startTestSimulator({ admin: { host: '127.0.0.1', port: 0, token: TOKEN } });
    const none = await send(sim.adminUrl, { path: '/api/files' });
    expect(none.status).toBe(401);
    expect(none.body.error?.message).toMatch(/needs the admin token.*Authorization: Bearer <token>/);
    const wrong = await send(sim.adminUrl, {
      path: '/api/files',
      headers: { authorization: 'Bearer not-the-token-at-all' },
    });
    expect(wrong.status).toBe(401);
    const right = await send(sim.adminUrl, {
      path: '/api/files',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(right.status).toBe(200);

    expect((await send(sim.adminUrl, { path: '/api/health' })).body).toEqual({ status: 'ok' });
    const full = await send(sim.adminUrl, {
      path: '/api/health',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(full.body['institutions']).toHaveLength(3);
  });

  it('is required when the admin API listens off loopback: serve exits 2 and says so', async () => {
    expect(() =>
      defineConfig({ institutions: TEST_INSTITUTIONS, admin: { host: '0.0.0.0', port: 0 } }),
    ).toThrow(/admin.host is 0.0.0.0, which other machines can reach: set admin.token/);
    const result = await runCli(['serve', '--host', '0.0.0.0', '--sftp-port', '0', '--admin-port', '0'], {
      env: { DATASYNC_ADMIN_TOKEN: '', DATASYNC_SIM_GENERATE_ADMIN_TOKEN: '' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/set admin.token, admin.tokenEnv or DATASYNC_ADMIN_TOKEN/);
  });
});
