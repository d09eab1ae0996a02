import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOpenSshSftp } from '../support/openssh-sftp.ts';
import { parseScrape, sampleValue } from '../support/prometheus-text.ts';
import { requireTools } from '../support/require-tool.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

const TOKEN = 'instance-token-of-the-test';
const world = (password: string) => ({
  institutions: [{ symbol: 'PUL', password, collections: [{ id: '1012676', type: 'bib', default: true }] }],
  clock: 'manual',
});

let sim: TestSimulator;
let dir: { path: string } & Disposable;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  requireTools('sftp', 'sshpass');
  sim = await startTestSimulator({ admin: { token: TOKEN } });
  dir = tempDir();
  writeFileSync(join(dir.path, 'records.mrc'), 'not really MARC, but bytes');
  for (const [name, password] of [
    ['team-a', 'a-secret'],
    ['team-b', 'b-secret'],
  ] as const)
    tokens[name] = (await sim.namespaces.create(name, world(password))).token;
});

afterAll(async () => {
  await sim?.stop();
  dir?.[Symbol.dispose]();
});

const put = (user: string, password: string, name: string) =>
  runOpenSshSftp({
    sim,
    dir: dir.path,
    user,
    password,
    batch: ['cd metacoll/in/bib', `put records.mrc ${name}`, 'bye'],
  });

const files = async (prefix: string, token: string): Promise<string[]> => {
  const response = await fetch(`${sim.adminUrl}${prefix}/api/files`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { files: { name: string }[] }).files.map((f) => f.name);
};

describe('SFTP logins into namespaces', () => {
  it('<account>+<namespace> uploads into that namespace with OpenSSH sftp; the plain name into the default', async () => {
    const a = await put('fx_pul+team-a', 'a-secret', '1012676.pul.a.mrc');
    expect(a.stderr).not.toContain('Permission denied');
    expect(a.code).toBe(0);
    const plain = await put('fx_pul', 'pul-secret', '1012676.pul.plain.mrc');
    expect(plain.code).toBe(0);
    expect(await files('/ns/team-a', tokens['team-a'] ?? '')).toEqual(['1012676.pul.a.mrc']);
    expect(await files('/ns/team-b', tokens['team-b'] ?? '')).toEqual([]);
    expect(await files('', TOKEN)).toEqual(['1012676.pul.plain.mrc']);

    const scrape = await fetch(`${sim.adminUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const samples = parseScrape(await scrape.text());
    const folder = '/xfer/metacoll/in/bib';
    expect(sampleValue(samples, 'datasync_uploads_total', { namespace: 'team-a', folder })).toBe(1);
    expect(sampleValue(samples, 'datasync_uploads_total', { namespace: 'default', folder })).toBe(1);
    expect(
      sampleValue(samples, 'datasync_sftp_logins_total', { namespace: 'team-a', result: 'accepted' }),
    ).toBe(1);
  });

  it("refuses another namespace's password, an unknown namespace, and answers each in its own journal", async () => {
    const wrong = await put('fx_pul+team-a', 'b-secret', '1012676.pul.wrong.mrc');
    expect(wrong.code).not.toBe(0);
    const unknown = await put('fx_pul+team-c', 'a-secret', '1012676.pul.unknown.mrc');
    expect(unknown.code).not.toBe(0);
    const refusedIn = (prefix: string, token: string) =>
      fetch(`${sim.adminUrl}${prefix}/api/journal?type=auth:refused`, {
        headers: { authorization: `Bearer ${token}` },
      }).then(
        async (r) => ((await r.json()) as { entries: { account?: string; message?: string }[] }).entries,
      );
    expect(await refusedIn('/ns/team-a', tokens['team-a'] ?? '')).toEqual([
      expect.objectContaining({ message: 'wrong password' }),
    ]);
    expect(await refusedIn('/ns/team-b', tokens['team-b'] ?? '')).toEqual([]);
  });

  it('a reset and a clock advance in one namespace leave the other as it was', async () => {
    await using b = await connectAs(sim, 'fx_pul+team-b', 'b-secret');
    await b.put('metacoll/in/bib/1012676.pul.b.mrc', 'abc');
    const headers = { authorization: `Bearer ${tokens['team-a']}`, 'content-type': 'application/json' };
    const healthB = () =>
      fetch(`${sim.adminUrl}/ns/team-b/api/health`, {
        headers: { authorization: `Bearer ${tokens['team-b']}` },
      }).then(async (r) => ((await r.json()) as { now: string }).now);
    const before = await healthB();
    await fetch(`${sim.adminUrl}/ns/team-a/api/clock/advance`, {
      method: 'POST',
      headers,
      body: '{"by":"1d"}',
    });
    await fetch(`${sim.adminUrl}/ns/team-a/api/reset`, { method: 'POST', headers, body: '{}' });
    expect(await files('/ns/team-a', tokens['team-a'] ?? '')).toEqual([]);
    expect(await files('/ns/team-b', tokens['team-b'] ?? '')).toEqual(['1012676.pul.b.mrc']);
    expect(await healthB()).toBe(before);
  });

  it('deleting a namespace ends its sessions and its logins', async () => {
    const c = await sim.namespaces.create('team-c', world('c-secret'));
    expect(c.token).toBeTruthy();
    const client = await connectAs(sim, 'fx_pul+team-c', 'c-secret');
    const ended = new Promise<void>((resolve) => client.connection.once('close', () => resolve()));
    expect(await sim.namespaces.delete('team-c')).toBe(true);
    await ended;
    await expect(connectAs(sim, 'fx_pul+team-c', 'c-secret')).rejects.toThrow();
  });
});
