import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireTools } from '../support/require-tool.ts';
import { runProcess } from '../support/run-process.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

const run = runProcess;

const state = (sim: TestSimulator, name: string) => sim.files.list().find((f) => f.name === name)?.state;

describe('other real SFTP clients', () => {
  it('curl (libssh2) uploads a good name and is refused a bad one', async () => {
    requireTools('curl');
    await using sim = await startTestSimulator();
    using dir = tempDir();
    writeFileSync(join(dir.path, 'f.mrc'), 'data');
    const url = (name: string) =>
      `sftp://127.0.0.1:${sim.sftp.port}/xfer/metacoll/in/bib/${encodeURIComponent(name)}`;
    const good = await run(
      'curl',
      ['-sS', '-k', '-u', 'fx_pul:pul-secret', '-T', 'f.mrc', url('1012676.pul.curl.mrc')],
      { cwd: dir.path },
    );
    expect(good.code, good.out).toBe(0);
    expect(state(sim, '1012676.pul.curl.mrc')).toBe('queued');
    const bad = await run(
      'curl',
      ['-sS', '-k', '-u', 'fx_pul:pul-secret', '-T', 'f.mrc', url('1012676.pul@.curl.mrc')],
      { cwd: dir.path },
    );
    expect(bad.code).toBe(9);
    expect(bad.out).toContain('Permission denied');
    expect(state(sim, '1012676.pul@.curl.mrc')).toBe('refused');
  });

  it('lftp uploads, and shows our refusal message for a bad name', async () => {
    requireTools('lftp', 'sftp');
    await using sim = await startTestSimulator();
    using dir = tempDir();
    writeFileSync(join(dir.path, 'f.mrc'), 'data');
    const lftp = (target: string) =>
      run(
        'lftp',
        [
          '-e',
          `set sftp:connect-program 'ssh -a -x -oStrictHostKeyChecking=no -oUserKnownHostsFile=/dev/null'; put f.mrc -o '${target}'; bye`,
          '-u',
          'fx_pul,pul-secret',
          `sftp://127.0.0.1:${sim.sftp.port}`,
        ],
        { cwd: dir.path },
      );
    const good = await lftp('metacoll/in/bib/1012676.pul.lftp.mrc');
    expect(good.code, good.out).toBe(0);
    expect(state(sim, '1012676.pul.lftp.mrc')).toBe('queued');
    const bad = await lftp('metacoll/in/bib/1012676.pul.l ftp.mrc');
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('spaces are not allowed in file names: 1012676.pul.l_ftp.mrc');
  });

  it('paramiko: put(confirm=True) of a just-picked-up upload is answered for the accepted file; a read is told it was picked up', async () => {
    requireTools('paramiko');
    using dir = tempDir();
    writeFileSync(join(dir.path, 'f.mrc'), 'data');
    const script = (port: number) => `
import paramiko
t = paramiko.Transport(('127.0.0.1', ${port})); t.connect(username='fx_pul', password='pul-secret')
s = paramiko.SFTPClient.from_transport(t)
s.put('f.mrc', 'metacoll/in/bib/1012676.pul.plain.mrc', confirm=False)
try:
    s.put('f.mrc', 'metacoll/in/bib/1012676.pul.confirm.mrc', confirm=True)
    print('CONFIRMED')
except IOError as e:
    print('CONFIRM FAILED', e)
try:
    s.open('metacoll/in/bib/1012676.pul.confirm.mrc', 'r').read()
except IOError as e:
    print('READ FAILED', e)
t.close()
`;
    await using vanishing = await startTestSimulator();
    const first = await run('/usr/bin/python3', ['-'], { cwd: dir.path, input: script(vanishing.sftp.port) });
    expect(first.out).toContain('CONFIRMED');
    expect(first.out).toContain(
      'READ FAILED [Errno 2] Failed to download "/xfer/metacoll/in/bib/1012676.pul.confirm.mrc": the file was accepted and picked up for processing',
    );
    expect(first.out).not.toContain('Uploads go to');
    const probes = vanishing.journal.list({ type: 'upload:probed' });
    expect(probes.map((e) => [e.subject, (e.data as { operation: string }).operation, e.message])).toEqual([
      [
        '1012676.pul.confirm.mrc',
        'stat',
        'answered with the size and time of the accepted upload: the file was already picked up for processing',
      ],
      [
        '1012676.pul.confirm.mrc',
        'download',
        expect.stringContaining('accepted and picked up for processing'),
      ],
    ]);
    expect(state(vanishing, '1012676.pul.confirm.mrc')).toBe('queued');
    expect(vanishing.files.list().filter((f) => f.name === '1012676.pul.confirm.mrc')).toHaveLength(1);
  });

  it('SETSTAT is honest with real clients: psftp chmod is refused with the reason, paramiko truncate and utime apply, folders carry real dates', async () => {
    requireTools('psftp', 'paramiko');
    await using sim = await startTestSimulator({ pickupDelay: '1h' });
    using dir = tempDir();
    writeFileSync(join(dir.path, 'f.mrc'), 'eight by');
    const part = 'metacoll/in/bib/1012676.pul.attrs.mrc.part';
    writeFileSync(
      join(dir.path, 'psftp.txt'),
      [`put f.mrc ${part}`, `chmod 644 ${part}`, `chmod 600 ${part}`, 'ls metacoll/in', 'quit'].join('\n'),
    );
    const psftp = await run(
      'psftp',
      [
        '-batch',
        '-be',
        '-P',
        String(sim.sftp.port),
        '-pw',
        'pul-secret',
        '-hostkey',
        sim.sftp.hostKeyFingerprint,
        '-b',
        'psftp.txt',
        'fx_pul@127.0.0.1',
      ],
      { cwd: dir.path },
    );
    expect(psftp.out).toContain(`set attrs for /xfer/${part}: permission denied`);
    expect(psftp.out).toContain("its mode stays 0644 on OCLC's exchange; the mode cannot be changed");
    expect(psftp.out).not.toContain('-> 0600');
    expect(psftp.out).toMatch(/drwxr-xr-x .* (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) .* bib/);
    expect(psftp.out).not.toContain('1970');
    const python = await run('/usr/bin/python3', ['-'], {
      cwd: dir.path,
      input: `
import paramiko
t = paramiko.Transport(('127.0.0.1', ${sim.sftp.port})); t.connect(username='fx_pul', password='pul-secret')
s = paramiko.SFTPClient.from_transport(t)
s.truncate('${part}', 5)
s.utime('${part}', (1700000000, 1700000000))
a = s.stat('${part}')
print('SIZE', a.st_size, 'MTIME', a.st_mtime)
try:
    s.chmod('${part}', 0o600)
except IOError as e:
    print('CHMOD FAILED', e)
print('FOLDER TIMES', min(e.st_mtime for e in s.listdir_attr('metacoll/in')) > 1600000000)
t.close()
`,
    });
    expect(python.out).toContain('SIZE 5 MTIME 1700000000');
    expect(python.out).toContain('CHMOD FAILED [Errno 13] Failed to set attributes');
    expect(python.out).toContain('FOLDER TIMES True');
  });
});
