import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface OpenSshResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface OpenSshOptions {
  sim: { sftp: { host: string; port: number; hostPublicKey: string } };
  user: string;
  password: string;
  /** Log in with this private key (`-i`) instead of the password. */
  identityFile?: string;
  batch: readonly string[];
  /** Working directory for local paths in the batch; also holds the batch and known_hosts files. */
  dir: string;
  timeoutMs?: number;
  /** More `sftp` options, placed before the host (e.g. `-v`). */
  extraArgs?: readonly string[];
}

/**
 * Runs the real OpenSSH `sftp` in batch mode. `-oBatchMode=no` must come before `-b` so sshpass
 * can answer the password prompt; the simulator's host key is pinned, never trusted blindly.
 */
export function runOpenSshSftp(options: OpenSshOptions): Promise<OpenSshResult> {
  const { sim, dir } = options;
  const batchFile = join(dir, `batch-${process.hrtime.bigint()}.txt`);
  writeFileSync(batchFile, `${options.batch.join('\n')}\n`);
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[${sim.sftp.host}]:${sim.sftp.port} ${sim.sftp.hostPublicKey}\n`);
  const auth = options.identityFile
    ? [
        '-oBatchMode=yes',
        '-i',
        options.identityFile,
        '-oIdentitiesOnly=yes',
        '-oPreferredAuthentications=publickey',
      ]
    : ['-oBatchMode=no', '-oPubkeyAuthentication=no', '-oPreferredAuthentications=password'];
  const sftpArgs = [
    ...auth,
    '-oStrictHostKeyChecking=yes',
    `-oUserKnownHostsFile=${knownHosts}`,
    `-oUser=${options.user}`,
    ...(options.extraArgs ?? []),
    '-P',
    String(sim.sftp.port),
    '-b',
    batchFile,
    ...(options.extraArgs ?? []),
    sim.sftp.host,
  ];
  // With a key, sftp runs on its own; with a password, sshpass answers the prompt.
  const [command, args] = options.identityFile
    ? ['sftp', sftpArgs]
    : ['sshpass', ['-p', options.password, 'sftp', ...sftpArgs]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `sftp did not finish within ${options.timeoutMs ?? 15_000} ms (hung after bye?)\n${stdout}\n${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
