import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { requireTools } from '../support/require-tool.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

/**
 * docs/reliability.md "Interrupted commands": Ctrl+C in OpenSSH `sftp` during a `put` under the
 * final name aborts the transfer but closes the file, so the server takes the truncated file as a
 * complete upload (as OCLC's server would). A terminal sends Ctrl+C to the whole foreground
 * process group; so does this test.
 */
it('Ctrl+C during an sftp put under the final name: sftp goes on, the truncated file is taken', async () => {
  requireTools('sftp', 'ssh-keygen');
  using dir = tempDir();
  const key = join(dir.path, 'key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  await using sim = await startTestSimulator({
    processing: 'manual',
    institutions: [
      {
        symbol: 'PUL',
        publicKeys: [readFileSync(`${key}.pub`, 'utf8').trim()],
        collections: [{ id: '1012676', type: 'bib' }],
      },
    ],
  });
  const size = 256 * 1024 * 1024;
  writeFileSync(join(dir.path, 'big.mrc'), randomBytes(size));
  writeFileSync(join(dir.path, 'known_hosts'), `[127.0.0.1]:${sim.sftp.port} ${sim.sftp.hostPublicKey}\n`);
  const started = sim.waitFor('upload:started', () => true, { timeoutMs: 60_000 });
  const received = sim.waitFor('upload:received', () => true, { timeoutMs: 60_000 });
  const child = spawn(
    'sftp',
    [
      '-i',
      key,
      '-oIdentitiesOnly=yes',
      '-oBatchMode=yes',
      `-oUserKnownHostsFile=${join(dir.path, 'known_hosts')}`,
      '-P',
      String(sim.sftp.port),
      '-b',
      '-',
      'fx_pul@127.0.0.1',
    ],
    { cwd: dir.path, detached: true },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.stdin.end('put big.mrc metacoll/in/bib/1012676.pul.big.mrc\nls metacoll/in/bib\n');
  await started;
  process.kill(-(child.pid ?? 0), 'SIGINT');
  const upload = await received;
  expect(await exited).toBe(0);
  expect(out).toContain('Interrupt');
  expect(out).toContain('sftp> ls metacoll/in/bib');
  expect(upload.name).toBe('1012676.pul.big.mrc');
  expect(upload.size).toBeLessThan(size);
  expect(sim.files.list().find((f) => f.name === upload.name)?.state).toBe('queued');
}, 120_000);
