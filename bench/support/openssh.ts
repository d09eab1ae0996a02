// OpenSSH for the benchmarks: `sftp` as users run it, and a throwaway `sshd` with its own config,
// host key, client key and port, as the baseline a plain OpenSSH server gives on this machine.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface Sshd {
  port: number;
  user: string;
  clientKey: string;
  stop(): Promise<void>;
}

const NO_HOST_CHECK = ['-oStrictHostKeyChecking=no', '-oUserKnownHostsFile=/dev/null', '-oLogLevel=ERROR'];

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  return typeof address === 'object' && address ? address.port : 0;
}

export async function startSshd(dir: string): Promise<Sshd> {
  mkdirSync(dir, { recursive: true });
  const key = (name: string): void => {
    const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, name)]);
    if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr.toString()}`);
  };
  key('host_key');
  key('client_key');
  spawnSync('cp', [join(dir, 'client_key.pub'), join(dir, 'authorized_keys')]);
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true });
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin yes',
      'UsePAM no',
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n'),
  );
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  await listening(child);
  return {
    port,
    user: userInfo().username,
    clientKey: join(dir, 'client_key'),
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function listening(child: ChildProcess): Promise<void> {
  if (!child.stderr) throw new Error('sshd has no stderr');
  const seen: string[] = [];
  for await (const line of createInterface({ input: child.stderr })) {
    seen.push(line);
    if (line.includes('Server listening on')) {
      child.stderr.resume();
      return;
    }
  }
  throw new Error(`sshd did not start:\n${seen.join('\n')}`);
}

/** Runs an OpenSSH `sftp` batch; resolves with its wall time in seconds. */
export async function sftpBatch(
  target: { port: number; user: string } & ({ clientKey: string } | { password: string }),
  batch: string[],
  dir: string,
): Promise<number> {
  const batchFile = join(dir, `batch-${process.hrtime.bigint()}.txt`);
  writeFileSync(batchFile, `${batch.join('\n')}\n`);
  const sftp = [
    ...NO_HOST_CHECK,
    '-P',
    String(target.port),
    ...('clientKey' in target
      ? ['-oBatchMode=yes', '-i', target.clientKey]
      : ['-oBatchMode=no', '-oPubkeyAuthentication=no', '-oPreferredAuthentications=password']),
    '-b',
    batchFile,
    `${target.user}@127.0.0.1`,
  ];
  const [command, args] =
    'password' in target ? ['sshpass', ['-p', target.password, 'sftp', ...sftp]] : ['sftp', sftp];
  const start = performance.now();
  const child = spawn(command, args as string[], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`sftp exited ${code}: ${stderr}`);
  return (performance.now() - start) / 1000;
}
