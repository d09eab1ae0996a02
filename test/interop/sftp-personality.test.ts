import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOpenSshSftp } from '../support/openssh-sftp.ts';
import { requireTools } from '../support/require-tool.ts';
import { runProcess } from '../support/run-process.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator, TEST_INSTITUTIONS, type TestSimulator } from '../support/test-simulator.ts';

let dir: { path: string } & Disposable;

beforeAll(() => {
  requireTools('sftp', 'sshpass', 'paramiko');
  dir = tempDir();
  writeFileSync(join(dir.path, 'records.mrc'), 'not really MARC, but bytes');
});

afterAll(() => dir?.[Symbol.dispose]());

const asPul = (sim: TestSimulator, batch: string[], extraArgs: string[] = []) =>
  runOpenSshSftp({ sim, dir: dir.path, user: 'fx_pul', password: 'pul-secret', batch, extraArgs });

describe('sftp.personality: openssh-7.4 (the default)', () => {
  let sim: TestSimulator;
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(() => sim?.stop());

  it("advertises OpenSSH 7.4's five extensions, in its order", async () => {
    const result = await asPul(sim, ['bye'], ['-vvv']);
    const advertised = [...result.stderr.matchAll(/Server supports extension "([^"]+)" revision (\d)/g)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    expect(advertised).toEqual([
      'posix-rename@openssh.com 1',
      'statvfs@openssh.com 2',
      'fstatvfs@openssh.com 2',
      'hardlink@openssh.com 1',
      'fsync@openssh.com 1',
    ]);
    expect(result.stderr).toContain('Remote protocol version 2.0, remote software version OpenSSH_7.4');
  });

  it('answers df from statvfs, honours put -f (fsync), and refuses ln (hardlink) with the reason', async () => {
    const result = await asPul(sim, [
      'df /xfer/metacoll/in/bib',
      'put -f records.mrc metacoll/in/bib/synced.part',
      '-ln metacoll/in/bib/synced.part metacoll/in/bib/linked.part',
      'bye',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Size\s+Used\s+Avail/);
    expect(result.stdout).toMatch(/^\s*\d+\s+\d+\s+\d+\s+\d+\s+\d+%/m);
    expect(result.stderr).toContain("OCLC's file exchange does not allow links");
    const ops = sim.journal.operations({ operation: 'fsync' });
    expect(ops.map((op) => op.path)).toEqual(['/xfer/metacoll/in/bib/synced.part']);
  });

  it("answers df with the institution's quota and what is left of it", async () => {
    await using quoted = await startTestSimulator({
      institutions: TEST_INSTITUTIONS.map((i) => (i.symbol === 'PUL' ? { ...i, quota: '10MB' } : i)),
    });
    const result = await asPul(quoted, ['put records.mrc metacoll/in/bib/kept.part', 'df /xfer', 'bye']);
    expect(result.code).toBe(0);
    const [size, used, avail] = (/^\s*(\d+)\s+(\d+)\s+(\d+)\s+\d+\s+\d+%/m.exec(result.stdout) ?? [])
      .slice(1)
      .map(Number);
    // OpenSSH's df prints KiB: 10 MB is 9,765 KiB, less than one block of rounding.
    expect(Math.abs((size ?? 0) - 10_000_000 / 1024)).toBeLessThan(5);
    expect((size ?? 0) - (avail ?? 0)).toBeGreaterThanOrEqual(0);
    expect(used).toBeLessThan(100);
  });

  it('renames with posix-rename, replacing a temporary file and applying the name rules', async () => {
    const result = await asPul(sim, [
      'put records.mrc metacoll/in/bib/a.part',
      'put records.mrc metacoll/in/bib/b.part',
      'rename metacoll/in/bib/a.part metacoll/in/bib/b.part',
      '-rename metacoll/in/bib/b.part metacoll/in/bib/1012676.pul@.posix.mrc',
      'rename metacoll/in/bib/b.part metacoll/in/bib/1012676.pul.posix.mrc',
      'bye',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Failed to upload "1012676.pul@.posix.mrc"');
    expect(sim.journal.operations({ operation: 'posix-rename' }).map((op) => op.status)).toEqual([
      'ok',
      'permission-denied',
      'ok',
    ]);
    expect(sim.files.list().find((f) => f.name === '1012676.pul.posix.mrc')?.state).toBe('queued');
  });

  it("paramiko's posix_rename works (it failed with an empty message against plain SFTP v3)", async () => {
    const script = `
import paramiko
t = paramiko.Transport(('127.0.0.1', ${sim.sftp.port})); t.connect(username='fx_pul', password='pul-secret')
s = paramiko.SFTPClient.from_transport(t)
s.put('records.mrc', 'metacoll/in/bib/p.part')
s.posix_rename('metacoll/in/bib/p.part', 'metacoll/in/bib/1012676.pul.paramiko-posix.mrc')
print('RENAMED')
t.close()
`;
    const result = await runProcess('/usr/bin/python3', ['-'], { cwd: dir.path, input: script });
    expect(result.stdout).toContain('RENAMED');
    expect(sim.files.list().find((f) => f.name === '1012676.pul.paramiko-posix.mrc')?.state).toBe('queued');
  });
});

describe('sftp.personality: plain-v3', () => {
  it('advertises no extensions, so df has nothing to talk to', async () => {
    await using sim = await startTestSimulator({
      sftp: { host: '127.0.0.1', port: 0, personality: 'plain-v3' },
    });
    const result = await asPul(sim, ['df /xfer'], ['-vvv']);
    expect(result.stderr).not.toContain('Server supports extension');
    expect(result.stderr).toContain('Server does not support statvfs@openssh.com extension');
    expect(result.code).toBe(1);
  });
});
