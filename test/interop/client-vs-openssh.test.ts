import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { requireTools } from '../support/require-tool.ts';
import { runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

function keygen(comment: string, file: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sshd did not listen on ${port}`);
}

describe('the client against a real OpenSSH server', () => {
  it('publishes unchanged to a throwaway sshd (key login, known_hosts pinning)', async () => {
    requireTools('sshd', 'ssh-keygen');
    if (process.getuid?.() !== 0)
      throw new Error('this test creates a temporary system user and must run as root (CI does)');
    using dir = tempDir('datasync-sshd-');
    const user = `dsync${process.pid % 100000}`;
    const home = join(dir.path, 'home');
    // '*' (no password, not locked): without PAM, sshd refuses even key logins to locked accounts.
    execFileSync('useradd', [
      '--no-create-home',
      '--home-dir',
      home,
      '--shell',
      '/bin/sh',
      '--password',
      '*',
      user,
    ]);
    let sshd: ReturnType<typeof spawn> | undefined;
    try {
      const uid = Number(execFileSync('id', ['-u', user]).toString().trim());
      const gid = Number(execFileSync('id', ['-g', user]).toString().trim());
      mkdirSync(join(home, '.ssh'), { recursive: true });
      mkdirSync(join(home, 'xfer', 'metacoll', 'in', 'bib'), { recursive: true });
      keygen('client', join(dir.path, 'client_key'));
      keygen('host', join(dir.path, 'host_key'));
      writeFileSync(join(home, '.ssh', 'authorized_keys'), readFileSync(join(dir.path, 'client_key.pub')));
      for (const path of [
        home,
        join(home, '.ssh'),
        join(home, 'xfer'),
        join(home, 'xfer', 'metacoll'),
        join(home, 'xfer', 'metacoll', 'in'),
        join(home, 'xfer', 'metacoll', 'in', 'bib'),
        join(home, '.ssh', 'authorized_keys'),
      ]) {
        chownSync(path, uid, gid);
      }
      chmodSync(dir.path, 0o755);
      chmodSync(home, 0o755);
      chmodSync(join(home, '.ssh'), 0o700);
      chmodSync(join(home, '.ssh', 'authorized_keys'), 0o600);
      mkdirSync('/run/sshd', { recursive: true });
      const port = await freePort();
      writeFileSync(
        join(dir.path, 'sshd_config'),
        [
          `Port ${port}`,
          'ListenAddress 127.0.0.1',
          `HostKey ${join(dir.path, 'host_key')}`,
          `PidFile ${join(dir.path, 'sshd.pid')}`,
          'AuthorizedKeysFile .ssh/authorized_keys',
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'UsePAM no',
          `AllowUsers ${user}`,
          'Subsystem sftp internal-sftp',
          '',
        ].join('\n'),
      );
      sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir.path, 'sshd_config')], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let sshdLog = '';
      sshd.stderr?.on('data', (d: Buffer) => (sshdLog += d.toString()));
      await waitForPort(port);

      const hostPub = readFileSync(join(dir.path, 'host_key.pub'), 'utf8').trim().split(' ');
      writeFileSync(join(dir.path, 'known_hosts'), `[127.0.0.1]:${port} ${hostPub[0]} ${hostPub[1]}\n`);
      const input = join(dir.path, 'export.mrc');
      writeFileSync(
        input,
        Buffer.concat([...generateBibRecords({ count: 300, seed: 8 })].map((r) => r.bytes)),
      );
      const profile = join(dir.path, 'profile.yaml');
      writeFileSync(
        profile,
        `name: real sshd
symbol: PUL
collectionId: "1012676"
sftp:
  host: 127.0.0.1
  port: ${port}
  user: ${user}
  subDirectory: xfer/metacoll/in/bib
  privateKeyFile: client_key
  hostKey: { knownHosts: known_hosts }
state: state
`,
      );
      const result = await runCli(['publish', '--profile', profile, '--job-id', '5150', input]);
      expect(result.stderr, sshdLog).toBe('');
      expect(result.code).toBe(0);
      const uploaded = readdirSync(join(home, 'xfer', 'metacoll', 'in', 'bib')).sort();
      expect(uploaded).toEqual(['1012676.pul.bibs_5150_delete.mrc', '1012676.pul.bibs_5150_new.mrc']);
      const sent = Buffer.concat(
        uploaded.map((name) => readFileSync(join(home, 'xfer', 'metacoll', 'in', 'bib', name))),
      );
      expect(sent.length).toBe(readFileSync(input).length);
    } finally {
      sshd?.kill('SIGTERM');
      execFileSync('userdel', [user]);
    }
  });
});
