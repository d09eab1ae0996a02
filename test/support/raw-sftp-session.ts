import { Client, type ClientChannel } from 'ssh2';

/** A field of a hand-built packet: number = uint32, bigint = uint64, string or Buffer = string. */
export type Field = number | bigint | string | Buffer;

/**
 * One SFTP packet built by hand, independently of the server's own writer, so a test can send
 * exactly the bytes an attacker would: any type, any length, any 64-bit offset.
 */
export function sftpPacket(type: number, ...fields: Field[]): Buffer {
  const parts: Buffer[] = [Buffer.from([type])];
  for (const field of fields) {
    if (typeof field === 'number') {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(field);
      parts.push(b);
    } else if (typeof field === 'bigint') {
      const b = Buffer.alloc(8);
      b.writeBigUInt64BE(field);
      parts.push(b);
    } else {
      const bytes = Buffer.from(field);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      parts.push(length, bytes);
    }
  }
  return framed(Buffer.concat(parts));
}

/** Prefixes a packet body with its uint32 length. */
export function framed(body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

/** A decoded STATUS reply. */
export interface StatusReply {
  type: 101;
  id: number;
  code: number;
  message: string;
}

/** The status code and message of a STATUS reply body, or undefined if it is another type. */
export function statusOf(body: Buffer): StatusReply | undefined {
  if (body[0] !== 101) return undefined;
  const length = body.readUInt32BE(9);
  return {
    type: 101,
    id: body.readUInt32BE(1),
    code: body.readUInt32BE(5),
    message: body.toString('utf8', 13, 13 + length),
  };
}

/** The handle of a HANDLE reply body. */
export function handleOf(body: Buffer): Buffer {
  if (body[0] !== 102) throw new Error(`expected HANDLE, got ${describe(body)}`);
  return body.subarray(9, 9 + body.readUInt32BE(5));
}

/** The data of a DATA reply body. */
export function dataOf(body: Buffer): Buffer {
  if (body[0] !== 103) throw new Error(`expected DATA, got ${describe(body)}`);
  return body.subarray(9, 9 + body.readUInt32BE(5));
}

function describe(body: Buffer): string {
  const status = statusOf(body);
  return status ? `STATUS ${status.code} ${status.message}` : `type ${body[0]}`;
}

/**
 * An SFTP subsystem channel over a real SSH connection (ssh2's client), spoken byte by byte: the
 * test writes packets and reads replies by request id. Nothing of ssh2's SFTP client is used.
 */
export class RawSftpSession implements AsyncDisposable {
  readonly connection: Client;
  readonly channel: ClientChannel;
  /** Resolves when the channel closes (the server ended it, or the connection dropped). */
  readonly closed: Promise<void>;
  readonly #replies = new Map<number, Buffer>();
  readonly #waiters = new Map<number, (body: Buffer) => void>();
  /** Chunks of a reply not complete yet; joined once, when its last byte arrives. */
  #held: Buffer[] = [];
  #heldBytes = 0;
  /** The held reply's whole size, once its length field is in. */
  #needed: number | undefined;
  #versionSeen: () => void = () => undefined;
  #ended = false;

  private constructor(connection: Client, channel: ClientChannel) {
    this.connection = connection;
    this.channel = channel;
    this.closed = new Promise((resolve) => channel.once('close', () => resolve()));
    connection.once('close', () => (this.#ended = true));
    channel.on('data', (chunk: Buffer) => this.#take(chunk));
  }

  static async open(
    sim: { sftp: { host: string; port: number } },
    username: string,
    password: string,
  ): Promise<RawSftpSession> {
    const connection = new Client();
    await new Promise<void>((resolve, reject) => {
      connection.once('ready', () => resolve());
      connection.once('error', reject);
      connection.connect({
        host: sim.sftp.host,
        port: sim.sftp.port,
        username,
        password,
        readyTimeout: 10_000,
      });
    });
    return RawSftpSession.#attach(connection);
  }

  /** A second SFTP channel on this session's connection (what one malformed packet must spare). */
  another(): Promise<RawSftpSession> {
    return RawSftpSession.#attach(this.connection);
  }

  static async #attach(connection: Client): Promise<RawSftpSession> {
    const channel = await new Promise<ClientChannel>((resolve, reject) => {
      connection.subsys('sftp', (error, stream) => (error ? reject(error) : resolve(stream)));
    });
    const session = new RawSftpSession(connection, channel);
    const version = new Promise<void>((resolve) => (session.#versionSeen = resolve));
    channel.write(sftpPacket(1, 3));
    await version;
    return session;
  }

  /** Writes raw bytes to the channel. */
  send(bytes: Buffer): void {
    this.channel.write(bytes);
  }

  /** The reply to request `id` (its body, without the length field). */
  reply(id: number): Promise<Buffer> {
    const got = this.#replies.get(id);
    if (got) {
      this.#replies.delete(id);
      return Promise.resolve(got);
    }
    return new Promise((resolve, reject) => {
      this.#waiters.set(id, resolve);
      this.closed.then(() => reject(new Error(`the channel closed before reply ${id}`)), reject);
    });
  }

  /** Sends a packet and waits for the reply carrying its id. */
  request(packet: Buffer): Promise<Buffer> {
    const id = packet.readUInt32BE(5);
    this.send(packet);
    return this.reply(id);
  }

  #take(chunk: Buffer): void {
    this.#held.push(chunk);
    this.#heldBytes += chunk.length;
    for (;;) {
      if (this.#heldBytes < 4) return;
      this.#needed ??= 4 + Buffer.concat(this.#held, 4).readUInt32BE(0);
      if (this.#heldBytes < this.#needed) return;
      const all = this.#held.length === 1 ? (this.#held[0] as Buffer) : Buffer.concat(this.#held);
      const rest = all.subarray(this.#needed);
      const body = all.subarray(4, this.#needed);
      this.#held = rest.length > 0 ? [rest] : [];
      this.#heldBytes = rest.length;
      this.#needed = undefined;
      this.#deliver(body);
    }
  }

  #deliver(body: Buffer): void {
    if (body[0] === 2) {
      this.#versionSeen();
      return;
    }
    const id = body.readUInt32BE(1);
    const waiter = this.#waiters.get(id);
    if (waiter) {
      this.#waiters.delete(id);
      waiter(body);
    } else this.#replies.set(id, body);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    const gone = new Promise<void>((resolve) => this.connection.once('close', () => resolve()));
    this.connection.end();
    await gone;
  }
}
