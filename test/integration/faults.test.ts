import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../simulator/clock/clock.ts';
import { reportsFolder } from '../../simulator/storage/account-tree.ts';
import { runOpenSshSftp } from '../support/openssh-sftp.ts';
import { requireTools } from '../support/require-tool.ts';
import { runProcess } from '../support/run-process.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

beforeAll(() => requireTools('sftp', 'sshpass', 'paramiko'));

const MARC_FIXTURE_BIB = readFileSync(new URL('../../scenarios/fixtures/bib-day1.mrc', import.meta.url));

const api = async (sim: TestSimulator, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${sim.adminUrl}${path}`, {
    method,
    // State-changing admin requests must be JSON (the admin API refuses others with 415).
    headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
    body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const asPul = (sim: TestSimulator, dir: string, batch: string[]) =>
  runOpenSshSftp({ sim, dir, user: 'fx_pul', password: 'pul-secret', batch });

/** A paramiko session as a Python prelude: `s` is the SFTP client. */
const paramiko = (sim: TestSimulator, body: string) => `
import paramiko, socket
t = paramiko.Transport(('127.0.0.1', ${sim.sftp.port})); t.connect(username='fx_pul', password='pul-secret')
s = paramiko.SFTPClient.from_transport(t)
${body}
t.close()
`;

const python = (dir: string, script: string) =>
  runProcess('/usr/bin/python3', ['-'], { cwd: dir, input: script });

describe('fault rules through the admin API', () => {
  it('are added (201), listed with their use count, listed while unused, and removed', async () => {
    await using sim = await startTestSimulator();
    using dir = tempDir();
    writeFileSync(join(dir.path, 'f.mrc'), 'data');
    const added = await api(sim, 'POST', '/api/faults', {
      match: { operation: 'open', path: '*.mrc' },
      action: { status: 'failure', message: 'the disk is full (fault rule)' },
      times: 1,
    });
    expect(added.status).toBe(201);
    const other = await api(sim, 'POST', '/api/faults', {
      match: { operation: 'rmdir' },
      action: { delay: '2s' },
    });
    expect((await api(sim, 'GET', '/api/faults/unused')).body['faults']).toHaveLength(2);

    const result = await python(
      dir.path,
      paramiko(
        sim,
        `
for name in ['1012676.pul.one.mrc', '1012676.pul.two.mrc']:
    try:
        s.put('f.mrc', 'metacoll/in/bib/' + name, confirm=False); print('PUT', name)
    except IOError as e:
        print('FAILED', name, e)
`,
      ),
    );
    expect(result.stdout).toContain('FAILED 1012676.pul.one.mrc the disk is full (fault rule)');
    expect(result.stdout).toContain('PUT 1012676.pul.two.mrc');
    const listed = (await api(sim, 'GET', '/api/faults')).body['faults'] as { id: string; used: number }[];
    expect(listed.map((f) => f.used)).toEqual([1, 0]);
    expect((await api(sim, 'GET', '/api/faults/unused')).body['faults']).toEqual([
      expect.objectContaining({ id: other.body['id'], used: 0 }),
    ]);
    expect((await api(sim, 'DELETE', `/api/faults/${String(other.body['id'])}`)).status).toBe(200);
    expect((await api(sim, 'DELETE', '/api/faults/fault-99')).status).toBe(404);
    expect((await api(sim, 'DELETE', '/api/faults')).body).toEqual({ deleted: 1 });
  });

  it('refuses a malformed rule with every problem named', async () => {
    await using sim = await startTestSimulator();
    const answer = await api(sim, 'POST', '/api/faults', {
      match: { operation: 'open' },
      action: { refuse: true },
    });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain('refuse applies to operation \\"login\\" only');
  });
});

describe('SFTP fault actions, seen by real clients', () => {
  it('disconnect: OpenSSH sftp loses the connection mid-upload, then reput resumes the temporary file', async () => {
    // A temporary file a session leaves behind is kept for the pickup delay, so it can be resumed.
    await using sim = await startTestSimulator({ pickupDelay: '30s' });
    using dir = tempDir();
    writeFileSync(join(dir.path, 'big.mrc'), Buffer.alloc(200_000, 0x41));
    sim.faults.add({
      match: { operation: 'write', path: '*.part' },
      action: { disconnect: { afterBytes: 65_536 } },
      times: 1,
    });
    const cut = await asPul(sim, dir.path, ['put big.mrc metacoll/in/bib/1012676.pul.big.mrc.part']);
    expect(cut.code).not.toBe(0);
    expect(cut.stderr).toMatch(/Connection closed|Broken pipe|Couldn't/i);
    const [write] = sim.journal.operations({ operation: 'write' });
    expect(write).toMatchObject({ status: 'connection-lost', bytes: 65_536 });

    const resumed = await asPul(sim, dir.path, [
      'reput big.mrc metacoll/in/bib/1012676.pul.big.mrc.part',
      'rename metacoll/in/bib/1012676.pul.big.mrc.part metacoll/in/bib/1012676.pul.big.mrc',
    ]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const file = sim.files.list().find((f) => f.name === '1012676.pul.big.mrc');
    expect(file).toMatchObject({ state: 'received', size: 200_000 });
  });

  it('an interrupted upload under its final name cannot be resumed, and reput says why', async () => {
    await using sim = await startTestSimulator();
    using dir = tempDir();
    writeFileSync(join(dir.path, 'big.mrc'), Buffer.alloc(100_000, 0x41));
    sim.faults.add({
      match: { operation: 'write' },
      action: { disconnect: { afterBytes: 32_768 } },
      times: 1,
    });
    await asPul(sim, dir.path, ['put big.mrc metacoll/in/bib/1012676.pul.final.mrc']);
    const resumed = await asPul(sim, dir.path, ['reput big.mrc metacoll/in/bib/1012676.pul.final.mrc']);
    expect(resumed.code).not.toBe(0);
    expect(resumed.stderr).toContain('the earlier upload under this name was interrupted');
    expect(resumed.stderr).toContain('cannot be resumed');
  });

  it('delay: the answer comes late enough for a client timeout to fire', async () => {
    await using sim = await startTestSimulator();
    using dir = tempDir();
    sim.faults.add({
      match: { operation: 'stat', path: '/xfer/metacoll/reports' },
      action: { delay: '3s' },
      times: 1,
    });
    const result = await python(
      dir.path,
      paramiko(
        sim,
        `
s.get_channel().settimeout(0.5)
try:
    s.stat('/xfer/metacoll/reports'); print('ANSWERED')
except socket.timeout:
    print('TIMED OUT')
`,
      ),
    );
    expect(result.stdout).toContain('TIMED OUT');
  });

  it('lostReply: the CLOSE is applied but its answer never arrives', async () => {
    await using sim = await startTestSimulator();
    using dir = tempDir();
    writeFileSync(join(dir.path, 'f.mrc'), 'data');
    sim.faults.add({ match: { operation: 'close', path: '*.mrc' }, action: { lostReply: true }, times: 1 });
    const result = await python(
      dir.path,
      paramiko(
        sim,
        `
try:
    s.put('f.mrc', 'metacoll/in/bib/1012676.pul.lost.mrc', confirm=False); print('PUT')
except Exception as e:
    print('FAILED', type(e).__name__)
`,
      ),
    );
    expect(result.stdout).toContain('FAILED');
    expect(sim.files.list().find((f) => f.name === '1012676.pul.lost.mrc')?.state).toBe('queued');
    expect(sim.journal.operations({ operation: 'close' })).toEqual([
      expect.objectContaining({ path: '/xfer/metacoll/in/bib/1012676.pul.lost.mrc', status: 'ok' }),
    ]);
  });

  it('login refuse: OpenSSH sftp cannot log in while the rule lasts', async () => {
    await using sim = await startTestSimulator();
    using dir = tempDir();
    sim.faults.add({ match: { operation: 'login', account: 'fx_pul' }, action: { refuse: true }, times: 1 });
    const refused = await asPul(sim, dir.path, ['ls']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Permission denied');
    expect(sim.journal.query({ type: 'auth:refused' }).map((e) => e.message)).toContain(
      'refused by a fault rule',
    );
    expect((await asPul(sim, dir.path, ['ls'])).code).toBe(0);
    expect(sim.faults.unused()).toEqual([]);
  });

  it('a rename rule with nth fails only the second rename, as OpenSSH sftp shows', async () => {
    await using sim = await startTestSimulator({
      faults: [
        {
          match: { operation: 'posix-rename', nth: 2 },
          action: { status: 'failure', message: 'rename failed (fault rule)' },
        },
      ],
    });
    using dir = tempDir();
    writeFileSync(join(dir.path, 'f.mrc'), 'data');
    const result = await asPul(sim, dir.path, [
      'put f.mrc metacoll/in/bib/a.part',
      'put f.mrc metacoll/in/bib/b.part',
      'rename metacoll/in/bib/a.part metacoll/in/bib/1012676.pul.a.mrc',
      'rename metacoll/in/bib/b.part metacoll/in/bib/1012676.pul.b.mrc',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('rename failed (fault rule)');
    expect(sim.files.list({ state: 'queued' }).map((f) => f.name)).toEqual(['1012676.pul.a.mrc']);
  });

  it('host-key rotation: a client pinning the old key refuses to connect', async () => {
    await using sim = await startTestSimulator();
    using dir = tempDir();
    const before = {
      sftp: { host: sim.sftp.host, port: sim.sftp.port, hostPublicKey: sim.sftp.hostPublicKey },
    };
    const rotated = await api(sim, 'POST', '/api/host-key/rotate', {});
    expect(rotated.status).toBe(200);
    expect(rotated.body['fingerprint']).not.toBe(undefined);
    expect(sim.sftp.hostKeyFingerprint).toBe(rotated.body['fingerprint']);
    const pinnedOld = await runOpenSshSftp({
      sim: before,
      dir: dir.path,
      user: 'fx_pul',
      password: 'pul-secret',
      batch: ['ls'],
    });
    expect(pinnedOld.code).not.toBe(0);
    expect(pinnedOld.stderr).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');
    expect((await asPul(sim, dir.path, ['ls'])).code).toBe(0);
  });
});

describe('processing fault actions', () => {
  it('fail: the file fails with the rule’s message, and its exception report says so in one row', async () => {
    await using sim = await startTestSimulator({
      processing: 'immediate',
      faults: [
        {
          match: { operation: 'processing', path: '*.doomed.mrc' },
          action: { fail: 'the load job crashed (fault rule)' },
        },
      ],
    });
    using dir = tempDir();
    writeFileSync(join(dir.path, 'f.mrc'), MARC_FIXTURE_BIB);
    const failed = sim.waitFor('file:failed');
    await asPul(sim, dir.path, ['put f.mrc metacoll/in/bib/1012676.pul.doomed.mrc']);
    expect(await failed).toMatchObject({
      name: '1012676.pul.doomed.mrc',
      reason: 'the load job crashed (fault rule)',
    });
    const pul = sim.config.institutions.find((i) => i.symbol === 'PUL');
    if (!pul) throw new Error('no PUL');
    const [report, ...others] = readdirSync(reportsFolder(sim.dataDir, pul)).filter((n) =>
      n.includes('doomed'),
    );
    expect(others).toEqual([]);
    expect(report).toMatch(
      /^PUL-PUL\.1012676\.IN\.BIB\.D\d{8}\.T\d{9}\.1012676\.pul\.doomed\.mrc\.BibExceptionReport\.txt$/,
    );
    const rows = readFileSync(join(reportsFolder(sim.dataDir, pul), report ?? ''), 'utf8')
      .trim()
      .split('\n');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.split('|').slice(4)).toEqual([
      'Processing Error',
      '',
      'the load job crashed (fault rule)',
    ]);
  });

  it('delay: processing lands hours late on the simulator clock', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 15));
    await using sim = await startTestSimulator(
      { processing: 'immediate', faults: [{ match: { operation: 'processing' }, action: { delay: '4h' } }] },
      { clock },
    );
    using dir = tempDir();
    writeFileSync(join(dir.path, 'f.mrc'), MARC_FIXTURE_BIB);
    const queued = sim.waitFor('file:queued');
    await asPul(sim, dir.path, ['put f.mrc metacoll/in/bib/1012676.pul.late.mrc']);
    await queued;
    await sim.processing.run();
    expect(sim.files.list()[0]?.state).toBe('queued');
    const processed = sim.waitFor('file:processed');
    clock.advance(4 * 3_600_000);
    expect((await processed).name).toBe('1012676.pul.late.mrc');
  });

  it("rerun: the file is processed twice and the second reports carry _1 after the uploaded name, as OCLC's", async () => {
    await using sim = await startTestSimulator({
      processing: 'immediate',
      faults: [{ match: { operation: 'processing' }, action: { rerun: true }, times: 1 }],
    });
    using dir = tempDir();
    writeFileSync(join(dir.path, 'f.mrc'), MARC_FIXTURE_BIB);
    const processed = sim.waitFor('file:processed');
    await asPul(sim, dir.path, ['put f.mrc metacoll/in/bib/1012676.pul.twice.mrc']);
    await processed;
    const pul = sim.config.institutions.find((i) => i.symbol === 'PUL');
    if (!pul) throw new Error('no PUL');
    const reports = readdirSync(reportsFolder(sim.dataDir, pul)).filter((n) => n.includes('twice'));
    const firsts = reports.filter((n) => !n.includes('.mrc_1.'));
    const seconds = reports.filter((n) => n.includes('.mrc_1.'));
    expect(firsts.some((n) => n.endsWith('.1012676.pul.twice.mrc.BibProcessingReport.txt'))).toBe(true);
    expect(seconds.some((n) => n.endsWith('.1012676.pul.twice.mrc_1.BibProcessingReport.txt'))).toBe(true);
    expect(reports.some((n) => /_1\.txt$/.test(n))).toBe(false);
    // The second run sees what the first one did, so it may write fewer reports, never others.
    for (const second of seconds) expect(firsts).toContain(second.replace('.mrc_1.', '.mrc.'));
  });
});

describe('journal verify', () => {
  it('counts operations, and explains a near miss by its closest entries', async () => {
    await using sim = await startTestSimulator();
    using dir = tempDir();
    writeFileSync(join(dir.path, 'f.mrc'), 'data');
    await asPul(sim, dir.path, [
      'put f.mrc metacoll/in/bib/x.part',
      '-rename metacoll/in/bib/x.part metacoll/in/bib/1012676.pul@.x.mrc',
    ]);
    const hit = await api(sim, 'POST', '/api/journal/verify', {
      match: { operation: 'posix-rename', path: '/xfer/metacoll/in/bib/1012676.pul@.x.mrc' },
      count: 1,
    });
    expect(hit).toEqual({ status: 200, body: { matched: 1 } });
    const miss = await api(sim, 'POST', '/api/journal/verify', {
      match: { operation: 'posix-rename', path: '/xfer/metacoll/in/bib/1012676.pul.x.mrc', status: 'ok' },
      count: 1,
    });
    expect(miss.status).toBe(409);
    expect(miss.body['matched']).toBe(0);
    expect((miss.body['error'] as { message: string }).message).toBe(
      'expected exactly 1 posix-rename to /xfer/metacoll/in/bib/1012676.pul.x.mrc answered ok, found 0; ' +
        'closest: posix-rename to /xfer/metacoll/in/bib/1012676.pul@.x.mrc by fx_pul (path and status differ), ' +
        'refused: Failed to upload "1012676.pul@.x.mrc": ' +
        sim.files.list().find((f) => f.name === '1012676.pul@.x.mrc')?.reason,
    );
  });

  it('filters GET /api/journal by operation, path, account and since', async () => {
    await using sim = await startTestSimulator();
    using dir = tempDir();
    writeFileSync(join(dir.path, 'f.mrc'), 'data');
    await asPul(sim, dir.path, ['put f.mrc metacoll/in/bib/1012676.pul.j.mrc', 'ls metacoll/reports']);
    const opens = await api(
      sim,
      'GET',
      '/api/journal?operation=open&path=*.mrc&account=fx_pul&since=0&limit=5',
    );
    const entries = opens.body['entries'] as { subject: string; data: { operation: string } }[];
    expect(entries.map((e) => [e.data.operation, e.subject])).toEqual([
      ['open', '/xfer/metacoll/in/bib/1012676.pul.j.mrc'],
    ]);
    const later = await api(sim, 'GET', `/api/journal?since=${Date.now() + 60_000}`);
    expect(later.body['entries']).toEqual([]);
  });
});
