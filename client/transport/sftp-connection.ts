import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Client, type SFTPWrapper } from 'ssh2';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import { checkHostKey, fingerprintOf, type HostKeyPolicy } from './host-key-check.ts';

export interface ConnectOptions {
  host: string;
  port: number;
  user: string;
  auth: { password: string } | { privateKey: string };
  hostKey: HostKeyPolicy;
  timeoutMs?: number;
  /** Gives up the attempt: publish connects while it reads its input, and stops connecting when
   * the input turns out unreadable. */
  signal?: AbortSignal;
}

export interface RemoteEntry {
  name: string;
  size: number;
  mtime: number;
}

const givenUp = (address: string): DataSyncError =>
  new DataSyncError('CLIENT_CONNECT_FAILED', { address, reason: 'the attempt was given up' });

/** WRITE size when ssh2 does not say what the server takes: below its smallest (34,000 bytes a
 * packet less 2 KiB). */
const CHUNK = 30 * 1024;
/** Bytes of WRITEs awaiting their answer, as OpenSSH's 64 requests of 32 KiB. */
const IN_FLIGHT_BYTES = 2 * 1024 * 1024;
/** One SFTP session to a server, OCLC's or any other; ssh2 stays inside this folder. */
export class SftpConnection implements AsyncDisposable {
  readonly #client: Client;
  readonly #sftp: SFTPWrapper;
  readonly #address: string;
  /** Rejects when the link drops: ssh2 leaves requests in flight unanswered then, so every
   * operation in #pending is failed with it. */
  readonly #lost: Promise<never>;
  /** The reject functions of operations awaiting an answer (a Set, not a race against #lost per
   * operation, which would leave one reaction on #lost for every WRITE of a long upload). */
  readonly #pending = new Set<(error: Error) => void>();
  /** Why the link is gone, once it is. */
  #gone: DataSyncError | undefined;
  #closing = false;
  /** Settles once the link is gone, however it went: disposing an already closed link must not
   * wait for a 'close' event that has been emitted. */
  readonly #closed: Promise<void>;

  private constructor(client: Client, sftp: SFTPWrapper, address: string) {
    this.#client = client;
    this.#sftp = sftp;
    this.#address = address;
    this.#closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    this.#lost = new Promise<never>((_resolve, reject) => {
      const fail = (reason: string): void => {
        if (this.#closing || this.#gone) return;
        const error = (this.#gone = this.#lostError('finish the operation', new Error(reason)));
        reject(error);
        for (const rejectOp of this.#pending) rejectOp(error);
        this.#pending.clear();
      };
      client.on('error', (error: Error) => fail(error.message));
      client.on('close', () => fail('connection closed'));
    });
    this.#lost.catch(() => undefined);
  }

  /** Whether the link is still up (publish checks the connection it made while reading). */
  get open(): boolean {
    return !this.#gone && !this.#closing;
  }

  static async connect(options: ConnectOptions): Promise<SftpConnection> {
    const address = `${options.host}:${options.port}`;
    const client = new Client();
    // Either phase (login, then the sftp subsystem) rejects through `fail` when the attempt is
    // given up, so the caller never waits for a handshake it no longer wants.
    let fail: ((error: Error) => void) | undefined;
    const onAbort = (): void => {
      client.end();
      fail?.(givenUp(address));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await SftpConnection.#open(client, options, address, (reject) => (fail = reject));
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  static async #open(
    client: Client,
    options: ConnectOptions,
    address: string,
    onPhase: (reject: (error: Error) => void) => void,
  ): Promise<SftpConnection> {
    let hostKeyProblem: DataSyncError | undefined;
    await new Promise<void>((resolve, reject) => {
      onPhase(reject);
      if (options.signal?.aborted) return reject(givenUp(address));
      client.once('ready', () => resolve());
      client.once('error', (error: Error & { level?: string }) => {
        if (hostKeyProblem) reject(hostKeyProblem);
        else if (error.level === 'client-authentication') {
          reject(
            new DataSyncError('CLIENT_AUTH_FAILED', {
              address,
              user: options.user,
              reason: 'the server refused the credentials',
            }),
          );
        } else
          reject(
            new DataSyncError('CLIENT_CONNECT_FAILED', { address, reason: error.message }, { cause: error }),
          );
      });
      client.connect({
        host: options.host,
        port: options.port,
        username: options.user,
        ...options.auth,
        readyTimeout: options.timeoutMs ?? 20_000,
        hostVerifier: (key: Buffer) => {
          const verdict = checkHostKey(options.hostKey, options.host, options.port, key);
          if (!verdict.ok)
            hostKeyProblem = new DataSyncError('CLIENT_HOST_KEY_REFUSED', {
              address,
              fingerprint: fingerprintOf(key),
              reason: verdict.reason,
            });
          return verdict.ok;
        },
      });
    });
    const sftp = await new Promise<SFTPWrapper>((resolve, reject) => {
      onPhase(reject);
      if (options.signal?.aborted) return reject(givenUp(address));
      client.sftp((error, session) =>
        error
          ? reject(new DataSyncError('CLIENT_CONNECT_FAILED', { address, reason: error.message }))
          : resolve(session),
      );
    });
    return new SftpConnection(client, sftp, address);
  }

  /**
   * Uploads with pipelined writes at explicit offsets (up to 2 MiB of WRITEs outstanding, as
   * OpenSSH's sftp does), then CLOSE. A source of blocks is read as the window moves, so memory
   * stays at the window whatever the size. Success is the server's answer to CLOSE alone:
   * OCLC moves the file away at once, so nothing is checked afterwards.
   */
  async upload(
    remotePath: string,
    source: Buffer | AsyncIterable<Buffer>,
    onProgress?: (bytes: number) => void,
  ): Promise<void> {
    const name = remotePath.split('/').pop() ?? remotePath;
    const handle = await this.#call<Buffer>(
      (cb) => this.#sftp.open(remotePath, 'w', cb),
      (e) => this.#refusal(name, e),
    );
    const blocks = Buffer.isBuffer(source) ? [source] : source;
    // As large a WRITE as the server takes: ssh2 knows it from the server's ident (OpenSSH's
    // sftp-server reads 256 KiB packets) or its limits@openssh.com reply, and would split a larger
    // one into requests sent one after another. Fewer, larger requests cost fewer callbacks,
    // promises and STATUS replies per byte on both sides.
    // Never larger: ssh2 would send the rest later from the caller's buffer, which a source of
    // blocks refills once the block is handed over (PartBytes.blocks).
    const told = (this.#sftp as unknown as { _maxWriteLen?: number })._maxWriteLen;
    const chunkSize = told !== undefined && told > 0 ? told : CHUNK;
    const maxInFlight = Math.max(1, Math.floor(IN_FLIGHT_BYTES / chunkSize));
    let offset = 0;
    let sent = 0;
    // A counter and one waiter, not a race over the writes in flight: that registered 64
    // reactions per WRITE, garbage the collector then had to sweep on every long upload.
    let inFlight = 0;
    let failure: unknown;
    let wake: (() => void) | undefined;
    const settled = (): void => {
      inFlight--;
      wake?.();
      wake = undefined;
    };
    const slot = (): Promise<void> => new Promise<void>((resolve) => (wake = resolve));
    // The WRITEs of a block leave in one system call (writev) rather than one per SSH packet.
    const socket = (this.#client as unknown as { _sock?: { cork(): void; uncork(): void } })._sock;
    for await (const block of blocks) {
      socket?.cork();
      try {
        for (let at = 0; at < block.length; at += chunkSize) {
          const chunk = block.subarray(at, at + chunkSize);
          const position = offset;
          inFlight++;
          this.#done(
            (cb) => this.#sftp.write(handle, chunk, 0, chunk.length, position, cb),
            (e) => this.#refusal(name, e),
          ).then(
            () => {
              sent += chunk.length;
              onProgress?.(sent);
              settled();
            },
            (error: unknown) => {
              failure ??= error;
              settled();
            },
          );
          offset += chunk.length;
          if (inFlight >= maxInFlight) {
            socket?.uncork();
            await slot();
            socket?.cork();
          }
          if (failure !== undefined) throw failure;
        }
      } finally {
        socket?.uncork();
      }
    }
    while (inFlight > 0) await slot();
    if (failure !== undefined) throw failure;
    await this.#done(
      (cb) => this.#sftp.close(handle, cb),
      (e) => this.#refusal(name, e),
    ).catch((error: unknown) => {
      // Lost at CLOSE: the server may have taken the file before its answer was lost.
      if (error instanceof DataSyncError && error.code === 'CLIENT_CONNECTION_LOST')
        throw new DataSyncError('CLIENT_CONNECTION_LOST', {
          ...error.params,
          action: `finish upload ${name}`,
        });
      throw error;
    });
  }

  /**
   * Whether an upload whose CLOSE answer was lost arrived after all: the file is still there with
   * every byte (pickup delay), or the server says it was accepted and picked up for processing.
   */
  async landed(remotePath: string, size: number): Promise<boolean> {
    try {
      const stats = await this.#call<{ size: number }>(
        (cb) => this.#sftp.stat(remotePath, cb),
        (e) => e,
      );
      return stats.size === size;
    } catch (error) {
      return error instanceof Error && /accepted and picked up for processing/.test(error.message);
    }
  }

  async list(dir: string): Promise<RemoteEntry[]> {
    const entries = await this.#call<
      { filename: string; attrs: { size: number; mtime: number; mode: number } }[]
    >(
      (cb) => this.#sftp.readdir(dir, cb),
      (e) => this.#failure(`list ${dir}`, e),
    );
    return entries
      .filter((e) => (e.attrs.mode & 0o170000) !== 0o040000)
      .map((e) => ({ name: e.filename, size: e.attrs.size, mtime: e.attrs.mtime }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async download(remotePath: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      const stream = this.#sftp.createReadStream(remotePath);
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error: Error & { code?: unknown }) =>
        reject(this.#failure(`download ${remotePath}`, error)),
      );
      this.#lost.catch(reject);
      stream.on('end', () => resolve());
    });
    return Buffer.concat(chunks);
  }

  /**
   * Appends the remote file's bytes from `start` on to a local file, as they arrive: a download
   * cut short leaves a whole prefix on disk, and the next call with `start` = its size resumes.
   */
  async downloadTo(remotePath: string, localPath: string, start: number): Promise<void> {
    const source = this.#sftp.createReadStream(remotePath, { start });
    const target = createWriteStream(localPath, { flags: start > 0 ? 'a' : 'w' });
    const lost = this.#lost.catch((error: unknown) => {
      source.destroy();
      throw error;
    });
    await Promise.race([
      pipeline(source, target).catch((error: Error & { code?: unknown; syscall?: unknown }) => {
        // A local write error (disk full, permissions) is not the server's doing.
        if (typeof error.syscall === 'string') throw error;
        throw this.#gone ?? this.#failure(`download ${remotePath}`, error);
      }),
      lost,
    ]);
  }

  remove(remotePath: string): Promise<void> {
    return this.#done(
      (cb) => this.#sftp.unlink(remotePath, cb),
      (e) => this.#failure(`remove ${remotePath}`, e),
    );
  }

  rename(from: string, to: string): Promise<void> {
    return this.#done(
      (cb) => this.#sftp.rename(from, to, cb),
      (e) => this.#failure(`rename ${from} to ${to}`, e),
    );
  }

  mkdir(remotePath: string): Promise<void> {
    return this.#done(
      (cb) => this.#sftp.mkdir(remotePath, cb),
      (e) => this.#failure(`create folder ${remotePath}`, e),
    );
  }

  /** Like #refusal, for operations other than uploads. */
  #failure(action: string, error: Error & { code?: unknown }): DataSyncError {
    if (typeof error.code === 'number')
      return new DataSyncError('CLIENT_REFUSED', { action, reason: error.message });
    return this.#lostError(action, error);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#closing = true;
    this.#client.end();
    await this.#closed;
  }

  /** A STATUS from the server is a refusal (not retried); anything else means the link broke. */
  #refusal(name: string, error: Error & { code?: unknown }): DataSyncError {
    if (typeof error.code === 'number')
      return new DataSyncError('CLIENT_UPLOAD_REFUSED', { name, reason: error.message });
    return this.#lostError(`upload ${name}`, error);
  }

  #lostError(action: string, error: Error): DataSyncError {
    return new DataSyncError(
      'CLIENT_CONNECTION_LOST',
      { action, address: this.#address, reason: error.message },
      { cause: error },
    );
  }

  #call<T>(
    run: (cb: (error: Error | null | undefined, value: T) => void) => void,
    wrap: (e: Error) => Error,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.#gone) return reject(this.#gone);
      this.#pending.add(reject);
      run((error, value) => {
        this.#pending.delete(reject);
        if (error) reject(wrap(error));
        else resolve(value);
      });
    });
  }

  #done(run: (cb: (error?: Error | null) => void) => void, wrap: (e: Error) => Error): Promise<undefined> {
    return this.#call<undefined>((cb) => run((error) => cb(error, undefined)), wrap);
  }
}
