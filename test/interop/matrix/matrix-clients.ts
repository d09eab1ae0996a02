import { spawnSync } from 'node:child_process';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SftpClient from 'ssh2-sftp-client';
import { runOpenSshSftp } from '../../support/openssh-sftp.ts';
import { runProcess } from '../../support/run-process.ts';

/** What every client in the matrix is driven with. */
export interface MatrixContext {
  sim: {
    sftp: {
      host: string;
      port: number;
      hostPublicKey: string;
      hostKeyFingerprint: string;
      hostKeys: readonly { type: string; fingerprint: string; publicKey: string }[];
    };
  };
  dir: string;
  user: string;
  password: string;
  /**
   * Log in with this private key (OpenSSH format, the public key beside it as `.pub`, PuTTY's
   * `.ppk` as `.ppk`) instead of the password; the password is then never given to the client.
   */
  key?: string;
}

export interface PutOptions {
  /** The client's default settings (no option we recommend against the vanishing upload). */
  defaults?: boolean;
  /** Turn on the client's own retry of a failed transfer, where it has one. */
  retry?: boolean;
}

export interface Outcome {
  ok: boolean;
  out: string;
}

/** One real client behind the checklist; a missing method means the client cannot do that. */
export interface MatrixClient {
  name: string;
  /** The settings we recommend for uploads to OCLC (vanishing files, dropped connections). */
  recommended: string;
  put(ctx: MatrixContext, local: string, remote: string, options?: PutOptions): Promise<Outcome>;
  /** Continues an interrupted upload of `local` at `remote` (absent: the client cannot). */
  resume?(ctx: MatrixContext, local: string, remote: string): Promise<Outcome>;
  /** How the client resumes, as the table names it. */
  resumeWith?: string;
  /** What `put(..., { retry: true })` turns on (absent: the client has no retry of its own). */
  retryWith?: string;
  rename(ctx: MatrixContext, from: string, to: string): Promise<Outcome>;
  list(ctx: MatrixContext, dir: string): Promise<Outcome>;
  get(ctx: MatrixContext, remote: string, local: string): Promise<Outcome>;
  df?(ctx: MatrixContext, path: string): Promise<Outcome>;
}

const done = (r: { code: number | null; out?: string; stdout?: string; stderr?: string }): Outcome => ({
  ok: r.code === 0,
  out: r.out ?? `${r.stdout ?? ''}${r.stderr ?? ''}`,
});

/** Each segment percent-encoded, as a curl user must: a raw '#' would start the URL's fragment. */
const encodePath = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

const url = (ctx: MatrixContext, path: string) => `sftp://${ctx.sim.sftp.host}:${ctx.sim.sftp.port}${path}`;

function knownHosts(ctx: MatrixContext): string {
  const file = join(ctx.dir, 'known_hosts');
  // Every key, as ssh-keyscan gives them: Go's ssh (rclone) prefers ECDSA, OpenSSH Ed25519.
  const { host, port, hostKeys } = ctx.sim.sftp;
  writeFileSync(file, hostKeys.map((key) => `[${host}]:${port} ${key.publicKey}\n`).join(''));
  return file;
}

const openssh: MatrixClient = {
  name: 'OpenSSH sftp',
  recommended: 'none needed; to resume after a drop, upload to a `.part` name and `reput` it',
  put: async (ctx, local, remote) => done(await batch(ctx, [`put ${local} "${remote}"`])),
  resume: async (ctx, local, remote) => done(await batch(ctx, [`reput ${local} "${remote}"`])),
  resumeWith: '`reput`',
  rename: async (ctx, from, to) => done(await batch(ctx, [`rename ${from} ${to}`])),
  list: async (ctx, dir) => done(await batch(ctx, [`ls -1 ${dir}`])),
  get: async (ctx, remote, local) => done(await batch(ctx, [`get ${remote} ${local}`])),
  df: async (ctx, path) => done(await batch(ctx, [`df ${path}`])),
};

function batch(ctx: MatrixContext, commands: string[]) {
  return runOpenSshSftp({
    sim: ctx.sim,
    dir: ctx.dir,
    user: ctx.user,
    password: ctx.password,
    ...(ctx.key ? { identityFile: ctx.key } : {}),
    batch: commands,
    timeoutMs: 60_000,
  });
}

function lftpRun(ctx: MatrixContext, command: string) {
  const identity = ctx.key ? ` -i ${ctx.key} -oIdentitiesOnly=yes` : '';
  const ssh = `ssh -a -x${identity} -oStrictHostKeyChecking=yes -oUserKnownHostsFile=${knownHosts(ctx)}`;
  // lftp retries a failed transfer by default (net:max-retries); waiting 1 s instead of 30 s.
  return runProcess(
    'lftp',
    [
      '-e',
      `set sftp:connect-program '${ssh}'; set net:max-retries 2; set net:reconnect-interval-base 1; ${command}; bye`,
      '-u',
      // With a key, an empty password keeps lftp from asking for one.
      `${ctx.user},${ctx.key ? '' : ctx.password}`,
      url(ctx, ''),
    ],
    { cwd: ctx.dir },
  );
}

const lftp: MatrixClient = {
  name: 'lftp',
  recommended: 'none needed',
  put: async (ctx, local, remote) => done(await lftpRun(ctx, `put ${local} -o '${remote}'`)),
  resume: async (ctx, local, remote) => done(await lftpRun(ctx, `put -c ${local} -o '${remote}'`)),
  resumeWith: '`put -c`',
  retryWith: 'by default (`net:max-retries`)',
  rename: async (ctx, from, to) => done(await lftpRun(ctx, `mv '${from}' '${to}'`)),
  list: async (ctx, dir) => done(await lftpRun(ctx, `cls -1 '${dir}/'`)),
  get: async (ctx, remote, local) => done(await lftpRun(ctx, `get '${remote}' -o ${local}`)),
};

function curlRun(ctx: MatrixContext, args: string[]) {
  // libssh2 prefers ECDSA host keys, so a curl user pins the ECDSA fingerprint (the only one
  // offered when the personality has just one key).
  const { hostKeys, hostKeyFingerprint } = ctx.sim.sftp;
  const pinned = hostKeys.find((k) => k.type === 'ecdsa-sha2-nistp256')?.fingerprint ?? hostKeyFingerprint;
  const sha256 = pinned.replace(/^SHA256:/, '');
  const auth = ctx.key
    ? ['--key', ctx.key, '--pubkey', `${ctx.key}.pub`, '-u', `${ctx.user}:`]
    : ['-u', `${ctx.user}:${ctx.password}`];
  return runProcess('curl', ['-sS', '--hostpubsha256', sha256, ...auth, ...args], { cwd: ctx.dir });
}

const curl: MatrixClient = {
  name: 'curl (libssh2)',
  recommended: '`--retry 2 --retry-all-errors` (plain `--retry` does not retry a dropped connection)',
  put: async (ctx, local, remote, options) =>
    done(
      await curlRun(ctx, [
        // --retry alone retries only timeouts and HTTP/FTP answers, not a dropped SSH connection.
        ...(options?.retry ? ['--retry', '2', '--retry-all-errors', '--retry-delay', '1'] : []),
        '-T',
        local,
        url(ctx, encodePath(remote)),
      ]),
    ),
  resume: async (ctx, local, remote) =>
    done(await curlRun(ctx, ['-C', '-', '-T', local, url(ctx, encodePath(remote))])),
  resumeWith: '`-C -`',
  retryWith: 'with `--retry-all-errors`',
  rename: async (ctx, from, to) =>
    done(await curlRun(ctx, ['-Q', `rename ${from} ${to}`, url(ctx, '/xfer/')])),
  list: async (ctx, dir) => done(await curlRun(ctx, ['-l', url(ctx, `${dir}/`)])),
  get: async (ctx, remote, local) => done(await curlRun(ctx, ['-o', local, url(ctx, remote)])),
};

function python(ctx: MatrixContext, body: string) {
  const script = `
import paramiko, sys
t = paramiko.Transport(('${ctx.sim.sftp.host}', ${ctx.sim.sftp.port}))
${ctx.key ? `t.connect(username='${ctx.user}', pkey=paramiko.Ed25519Key.from_private_key_file('${ctx.key}'))` : `t.connect(username='${ctx.user}', password='${ctx.password}')`}
s = paramiko.SFTPClient.from_transport(t)
try:
${body
  .trim()
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
except Exception as e:
    print('ERROR', e); sys.exit(1)
finally:
    t.close()
`;
  return runProcess('/usr/bin/python3', ['-'], { cwd: ctx.dir, input: script });
}

const paramiko: MatrixClient = {
  name: 'paramiko',
  recommended: 'none needed; retry a failed `put` in your script',
  put: async (ctx, local, remote, options) =>
    done(
      await python(ctx, `s.put('${local}', '${remote}', confirm=${options?.defaults ? 'True' : 'False'})`),
    ),
  // paramiko has no resume: append what the server lacks, as a script would.
  resume: async (ctx, local, remote) =>
    done(
      await python(
        ctx,
        `
size = s.stat('${remote}').st_size
with open('${local}', 'rb') as l, s.open('${remote}', 'ab') as r:
    l.seek(size)
    r.set_pipelined(True)
    r.write(l.read())`,
      ),
    ),
  resumeWith: 'by hand (stat, append)',
  rename: async (ctx, from, to) => done(await python(ctx, `s.posix_rename('${from}', '${to}')`)),
  list: async (ctx, dir) => done(await python(ctx, `print('\\n'.join(s.listdir('${dir}')))`)),
  get: async (ctx, remote, local) => done(await python(ctx, `s.get('${remote}', '${local}')`)),
};

function rcloneRun(ctx: MatrixContext, args: string[], defaults = false) {
  return runProcess(
    'rclone',
    [
      '--config',
      '/dev/null',
      '--sftp-host',
      ctx.sim.sftp.host,
      '--sftp-port',
      String(ctx.sim.sftp.port),
      '--sftp-user',
      ctx.user,
      ...(ctx.key ? ['--sftp-key-file', ctx.key] : ['--sftp-pass', obscured(ctx.password)]),
      '--sftp-known-hosts-file',
      knownHosts(ctx),
      '--sftp-shell-type',
      'none',
      // rclone retries a failed copy by default (3 times); low-level retries stay quick.
      '--retries',
      '3',
      '--low-level-retries',
      '1',
      ...(defaults ? [] : ['--sftp-set-modtime=false']),
      ...args,
    ],
    { cwd: ctx.dir },
  );
}

let obscuredCache: string | undefined;
/** rclone wants the password in its own reversible encoding; rclone itself computes it. */
function obscured(password: string): string {
  obscuredCache ??= spawnSync('rclone', ['obscure', password], { encoding: 'utf8' }).stdout.trim();
  return obscuredCache;
}

const rclone: MatrixClient = {
  name: 'rclone (Go sftp)',
  recommended: 'none needed',
  put: async (ctx, local, remote, options) =>
    done(await rcloneRun(ctx, ['copyto', local, `:sftp:${remote}`], options?.defaults)),
  retryWith: 'by default (`--retries`)',
  rename: async (ctx, from, to) => done(await rcloneRun(ctx, ['moveto', `:sftp:${from}`, `:sftp:${to}`])),
  list: async (ctx, dir) => done(await rcloneRun(ctx, ['lsf', `:sftp:${dir}`])),
  get: async (ctx, remote, local) => done(await rcloneRun(ctx, ['copyto', `:sftp:${remote}`, local])),
  df: async (ctx, path) => done(await rcloneRun(ctx, ['about', `:sftp:${path}`])),
};

function psftpRun(ctx: MatrixContext, commands: string[]) {
  const script = join(ctx.dir, `psftp-${process.hrtime.bigint()}.txt`);
  writeFileSync(script, `${commands.join('\n')}\nquit\n`);
  return runProcess(
    'psftp',
    [
      '-batch',
      '-P',
      String(ctx.sim.sftp.port),
      ...(ctx.key ? ['-i', `${ctx.key}.ppk`] : ['-pw', ctx.password]),
      '-hostkey',
      ctx.sim.sftp.hostKeyFingerprint,
      '-b',
      script,
      `${ctx.user}@${ctx.sim.sftp.host}`,
    ],
    { cwd: ctx.dir },
  );
}

const psftp: MatrixClient = {
  name: 'PuTTY psftp',
  recommended: 'none needed; to resume after a drop, upload to a `.part` name and `reput` it',
  put: async (ctx, local, remote) => done(await psftpRun(ctx, [`put ${local} "${remote}"`])),
  resume: async (ctx, local, remote) => done(await psftpRun(ctx, [`reput ${local} "${remote}"`])),
  resumeWith: '`reput`',
  rename: async (ctx, from, to) => done(await psftpRun(ctx, [`mv ${from} ${to}`])),
  list: async (ctx, dir) => done(await psftpRun(ctx, [`ls ${dir}`])),
  get: async (ctx, remote, local) => done(await psftpRun(ctx, [`get ${remote} ${local}`])),
};

async function nodeClient(ctx: MatrixContext, run: (c: SftpClient) => Promise<string>): Promise<Outcome> {
  const client = new SftpClient();
  try {
    await client.connect({
      host: ctx.sim.sftp.host,
      port: ctx.sim.sftp.port,
      username: ctx.user,
      ...(ctx.key ? { privateKey: readFileSync(ctx.key) } : { password: ctx.password }),
      hostVerifier: (key: Buffer) => ctx.sim.sftp.hostPublicKey.endsWith(key.toString('base64')),
    });
    return { ok: true, out: await run(client) };
  } catch (error) {
    return { ok: false, out: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

const ssh2SftpClient: MatrixClient = {
  name: 'ssh2-sftp-client (npm)',
  recommended: 'none needed; retry a failed `put` in your code',
  put: (ctx, local, remote) =>
    nodeClient(ctx, async (c) => String(await c.put(join(ctx.dir, local), remote))),
  // No resume of its own: append the rest from where the server's copy ends.
  resume: (ctx, local, remote) =>
    nodeClient(ctx, async (c) => {
      const { size } = await c.stat(remote);
      return String(await c.append(createReadStream(join(ctx.dir, local), { start: size }), remote));
    }),
  resumeWith: 'by hand (stat, append)',
  rename: (ctx, from, to) => nodeClient(ctx, async (c) => String(await c.rename(from, to))),
  list: (ctx, dir) => nodeClient(ctx, async (c) => (await c.list(dir)).map((e) => e.name).join('\n')),
  get: (ctx, remote, local) =>
    nodeClient(ctx, async (c) => {
      // Into a buffer, then the file: with a path, get() may resolve before the file is flushed.
      const data = (await c.get(remote)) as Buffer;
      writeFileSync(join(ctx.dir, local), data);
      return `${data.length} bytes`;
    }),
};

export const MATRIX_CLIENTS: readonly MatrixClient[] = [
  openssh,
  lftp,
  curl,
  paramiko,
  rclone,
  psftp,
  ssh2SftpClient,
];
