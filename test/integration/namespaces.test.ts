import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

const TOKEN = 'instance-token-of-the-test';
const WORLD = {
  institutions: [
    { symbol: 'PUL', password: 'team-secret', collections: [{ id: '1012676', type: 'bib', default: true }] },
  ],
  clock: 'manual',
};

/** The fields these tests read from the API's answers. */
interface Answer {
  name?: string;
  token?: string;
  now?: string;
  clock?: string;
  deleted?: boolean;
  files?: unknown[];
  namespaces?: { name: string }[];
  institutions?: { symbol: string }[];
  error?: { code: string; message: string };
}

/** One admin call as a client makes it: JSON in, status and JSON out. */
async function call(
  sim: TestSimulator,
  method: string,
  path: string,
  options: { token?: string | undefined; body?: unknown; raw?: Buffer } = {},
): Promise<{ status: number; body: Answer }> {
  const headers: Record<string, string> = {};
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.raw) headers['content-type'] = 'application/octet-stream';
  const response = await fetch(`${sim.adminUrl}${path}`, {
    method,
    headers,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Answer) : {} };
}

const create = async (sim: TestSimulator, name: string, config: unknown = WORLD) =>
  call(sim, 'POST', '/api/namespaces', { token: TOKEN, body: { name, config } });

describe('namespaces', () => {
  it('creates isolated worlds, each behind its own token or the instance token', async () => {
    await using sim = await startTestSimulator({ admin: { token: TOKEN } });
    const a = await create(sim, 'team-a');
    expect(a).toEqual({ status: 201, body: { name: 'team-a', token: expect.any(String) } });
    const b = await create(sim, 'team-b');
    expect(b.status).toBe(201);
    const list = await call(sim, 'GET', '/api/namespaces', { token: TOKEN });
    expect(list.body.namespaces?.map((n: { name: string }) => n.name)).toEqual(['team-a', 'team-b']);

    // Its own world: its institutions, not the instance's.
    const health = await call(sim, 'GET', '/ns/team-a/api/health', { token: a.body.token });
    expect(health.status).toBe(200);
    expect(health.body.institutions?.map((i: { symbol: string }) => i.symbol)).toEqual(['PUL']);
    expect(health.body.clock).toBe('manual');
    expect((await call(sim, 'GET', '/ns/team-a/api/files', { token: TOKEN })).status).toBe(200);

    // Reads need a token too; a namespace's token opens nothing else.
    expect((await call(sim, 'GET', '/ns/team-a/api/health')).status).toBe(401);
    expect((await call(sim, 'GET', '/ns/team-a/api/files', { token: b.body.token })).status).toBe(401);
    expect((await call(sim, 'GET', '/api/files', { token: a.body.token })).status).toBe(401);
    expect((await call(sim, 'GET', '/api/namespaces', { token: a.body.token })).status).toBe(401);
    expect(
      (await call(sim, 'POST', '/ns/team-a/api/namespaces', { token: a.body.token, body: {} })).status,
    ).toBe(404);
    // The scrape holds every namespace's series: it is the instance's alone.
    const scrape = await fetch(`${sim.adminUrl}/ns/team-a/metrics`, {
      headers: { authorization: `Bearer ${a.body.token}` },
    });
    expect(await scrape.text()).not.toContain('datasync_');
    // An unknown name answers as a wrong token does, so names cannot be probed.
    const unknown = await call(sim, 'GET', '/ns/team-c/api/files', { token: a.body.token });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error?.code).toBe('ADMIN_UNAUTHORIZED');
  });

  it('keeps uploads, resets and clocks apart', async () => {
    await using sim = await startTestSimulator({ admin: { token: TOKEN }, clock: 'manual' });
    const a = (await create(sim, 'team-a')).body.token as string;
    const b = (await create(sim, 'team-b')).body.token as string;
    const put = await call(sim, 'PUT', '/ns/team-a/api/institutions/PUL/files/1012676.pul.a.mrc', {
      token: a,
      raw: Buffer.from('abc'),
    });
    expect(put.status).toBe(200);
    const files = async (prefix: string, token: string) =>
      (await call(sim, 'GET', `${prefix}/api/files`, { token })).body.files as unknown[];
    expect(await files('/ns/team-a', a)).toHaveLength(1);
    expect(await files('/ns/team-b', b)).toHaveLength(0);
    expect(await files('', TOKEN)).toHaveLength(0);

    await call(sim, 'PUT', '/ns/team-b/api/institutions/PUL/files/1012676.pul.b.mrc', {
      token: b,
      raw: Buffer.from('abc'),
    });
    const before = (await call(sim, 'GET', '/ns/team-b/api/health', { token: b })).body.now as string;
    expect(
      (await call(sim, 'POST', '/ns/team-a/api/clock/advance', { token: a, body: { by: '2d' } })).status,
    ).toBe(200);
    expect((await call(sim, 'POST', '/ns/team-a/api/reset', { token: a, body: {} })).status).toBe(200);
    expect(await files('/ns/team-a', a)).toHaveLength(0);
    expect(await files('/ns/team-b', b)).toHaveLength(1);
    expect((await call(sim, 'GET', '/ns/team-b/api/health', { token: b })).body.now).toBe(before);
    const aNow = (await call(sim, 'GET', '/ns/team-a/api/health', { token: a })).body.now as string;
    expect(Date.parse(aNow) - Date.parse(before)).toBeGreaterThanOrEqual(2 * 86_400_000 - 60_000);
  });

  it('refuses instance keys, bad names and a name in use, naming the problem', async () => {
    await using sim = await startTestSimulator({ admin: { token: TOKEN } });
    const sftp = await create(sim, 'team-a', { ...WORLD, sftp: { port: 2200 } });
    expect(sftp.status).toBe(400);
    expect(sftp.body.error?.code).toBe('CONFIG_INVALID');
    expect(sftp.body.error?.message).toContain('sftp is an instance key');
    const records = await create(sim, 'team-a', { ...WORLD, worldcat: { records: ['/etc/passwd'] } });
    expect(records.status).toBe(400);
    expect(records.body.error?.message).toContain('worldcat.records');
    const noInstitutions = await create(sim, 'team-a', { clock: 'manual' });
    expect(noInstitutions.status).toBe(400);
    expect(noInstitutions.body.error?.message).toContain('namespace team-a');
    expect((await create(sim, 'Team_A')).status).toBe(400);
    expect((await create(sim, 'a'.repeat(33))).status).toBe(400);
    const reserved = await create(sim, 'default');
    expect(reserved.status).toBe(400);
    expect(reserved.body.error?.message).toContain('default');
    expect((await create(sim, 'team-a')).status).toBe(201);
    const again = await create(sim, 'team-a');
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('NAMESPACE_REFUSED');
    expect((await call(sim, 'GET', '/api/namespaces', { token: TOKEN })).body.namespaces).toHaveLength(1);
  });

  it('comes back after a restart, and DELETE removes all its state and files', async () => {
    using dir = tempDir();
    let token: string;
    {
      await using sim = await startTestSimulator({ admin: { token: TOKEN } }, { dataDir: dir.path });
      token = (await create(sim, 'team-a')).body.token as string;
      await call(sim, 'PUT', '/ns/team-a/api/institutions/PUL/files/1012676.pul.a.mrc', {
        token,
        raw: Buffer.from('abc'),
      });
    }
    await using sim = await startTestSimulator({ admin: { token: TOKEN } }, { dataDir: dir.path });
    const files = await call(sim, 'GET', '/ns/team-a/api/files', { token });
    expect(files.status).toBe(200);
    expect(files.body.files).toHaveLength(1);
    expect(existsSync(join(dir.path, 'namespaces', 'team-a'))).toBe(true);

    const deleted = await call(sim, 'DELETE', '/api/namespaces/team-a', { token: TOKEN });
    expect(deleted).toEqual({ status: 200, body: { name: 'team-a', deleted: true } });
    expect(existsSync(join(dir.path, 'namespaces', 'team-a'))).toBe(false);
    expect((await call(sim, 'GET', '/ns/team-a/api/files', { token })).status).toBe(401);
    expect((await call(sim, 'DELETE', '/api/namespaces/team-a', { token: TOKEN })).status).toBe(404);
    expect((await create(sim, 'team-a')).status).toBe(201);
  });
});
