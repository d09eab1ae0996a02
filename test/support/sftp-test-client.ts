import {
  Client,
  type ConnectConfig,
  type OpenMode,
  type SFTPWrapper,
  type Stats,
  type FileEntry,
  type InputAttributes,
} from 'ssh2';

export interface SftpStatusError extends Error {
  code: number;
}

/** A thin promise wrapper over an ssh2 SFTP session, for driving the server operation by operation. */
export class SftpTestClient implements AsyncDisposable {
  readonly connection: Client;
  readonly sftp: SFTPWrapper;
  /** USERAUTH_BANNER messages the server sent while logging in. */
  readonly banners: string[];

  readonly #closed: Promise<void>;

  private constructor(connection: Client, sftp: SFTPWrapper, banners: string[]) {
    this.connection = connection;
    this.#closed = new Promise((resolve) => connection.once('close', () => resolve()));
    this.sftp = sftp;
    this.banners = banners;
  }

  static async connect(config: ConnectConfig): Promise<SftpTestClient> {
    const connection = new Client();
    const banners: string[] = [];
    await new Promise<void>((resolve, reject) => {
      connection.once('ready', () => resolve());
      connection.once('error', reject);
      connection.on('banner', (message: string) => banners.push(message));
      connection.connect({ readyTimeout: 10_000, ...config });
    });
    const sftp = await new Promise<SFTPWrapper>((resolve, reject) => {
      connection.sftp((error, sftp) => (error ? reject(error) : resolve(sftp)));
    });
    return new SftpTestClient(connection, sftp, banners);
  }

  realpath(path: string): Promise<string> {
    return call<string>((cb) => this.sftp.realpath(path, cb));
  }
  stat(path: string): Promise<Stats> {
    return call<Stats>((cb) => this.sftp.stat(path, cb));
  }
  lstat(path: string): Promise<Stats> {
    return call<Stats>((cb) => this.sftp.lstat(path, cb));
  }
  fstat(handle: Buffer): Promise<Stats> {
    return call<Stats>((cb) => this.sftp.fstat(handle, cb));
  }
  readdir(path: string): Promise<FileEntry[]> {
    return call<FileEntry[]>((cb) => this.sftp.readdir(path, cb));
  }
  open(path: string, flags: OpenMode | number): Promise<Buffer> {
    return call<Buffer>((cb) => this.sftp.open(path, flags, cb));
  }
  write(handle: Buffer, data: Buffer, position: number): Promise<void> {
    return done((cb) => this.sftp.write(handle, data, 0, data.length, position, cb));
  }
  read(handle: Buffer, length: number, position: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.sftp.read(handle, Buffer.alloc(length), 0, length, position, (error, bytes, buffer) =>
        error ? reject(error) : resolve(buffer.subarray(0, bytes)),
      );
    });
  }
  close(handle: Buffer): Promise<void> {
    return done((cb) => this.sftp.close(handle, cb));
  }
  rename(from: string, to: string): Promise<void> {
    return done((cb) => this.sftp.rename(from, to, cb));
  }
  unlink(path: string): Promise<void> {
    return done((cb) => this.sftp.unlink(path, cb));
  }
  mkdir(path: string): Promise<void> {
    return done((cb) => this.sftp.mkdir(path, cb));
  }
  rmdir(path: string): Promise<void> {
    return done((cb) => this.sftp.rmdir(path, cb));
  }
  setstat(
    path: string,
    attrs: InputAttributes = { mtime: 1_700_000_000, atime: 1_700_000_000 },
  ): Promise<void> {
    return done((cb) => this.sftp.setstat(path, attrs, cb));
  }
  fsetstat(handle: Buffer, attrs: InputAttributes = { mode: 0o600 }): Promise<void> {
    return done((cb) => this.sftp.fsetstat(handle, attrs, cb));
  }
  symlink(target: string, path: string): Promise<void> {
    return done((cb) => this.sftp.symlink(target, path, cb));
  }
  readlink(path: string): Promise<string> {
    return call<string>((cb) => this.sftp.readlink(path, cb));
  }

  /** Uploads `data` in one OPEN/WRITE/CLOSE. */
  async put(path: string, data: Buffer | string): Promise<void> {
    const handle = await this.open(path, 'w');
    const bytes = Buffer.from(data);
    if (bytes.length > 0) await this.write(handle, bytes, 0);
    await this.close(handle);
  }

  async get(path: string): Promise<Buffer> {
    const handle = await this.open(path, 'r');
    const chunks: Buffer[] = [];
    for (let offset = 0; ;) {
      const chunk = await this.read(handle, 32_768, offset).catch((error: SftpStatusError) => {
        if (error.code === 1) return Buffer.alloc(0);
        throw error;
      });
      if (chunk.length === 0) break;
      chunks.push(chunk);
      offset += chunk.length;
    }
    await this.close(handle);
    return Buffer.concat(chunks);
  }

  /** Drops the TCP connection without closing handles, as a crashed client would. */
  drop(): void {
    this.connection.destroy();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.connection.end();
    await this.#closed;
  }
}

function call<T>(run: (cb: (error: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    run((error, value) => (error ? reject(error) : resolve(value)));
  });
}

export function connectAs(
  sim: { sftp: { host: string; port: number } },
  username: string,
  password: string,
): Promise<SftpTestClient> {
  return SftpTestClient.connect({ host: sim.sftp.host, port: sim.sftp.port, username, password });
}

function done(run: (cb: (error?: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    run((error) => (error ? reject(error) : resolve()));
  });
}
