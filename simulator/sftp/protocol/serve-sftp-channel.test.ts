import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { PacketReader } from './packet-reader.ts';
import { PacketWriter } from './packet-writer.ts';
import type { SftpBackend } from './sftp-backend.ts';
import { PACKET, STATUS_CODE } from './sftp-constants.ts';
import type { SftpPersonalityName } from '../../config/personality-names.ts';
import { PERSONALITIES } from './sftp-personality.ts';
import { serveSftpChannel, type SftpEdge } from './serve-sftp-channel.ts';

/** A channel that records replies and lets the test push request bytes. */
class FakeChannel extends EventEmitter {
  readonly replies: Buffer[] = [];
  /** False plays a client that stops reading: write() then says the buffer is full. */
  draining = true;
  paused = false;
  write(data: Buffer): boolean {
    this.replies.push(data);
    return this.draining;
  }
  end(): void {}
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  send(packet: Buffer): void {
    this.emit('data', packet);
  }
}

function serve(personality: SftpPersonalityName, backend: Partial<SftpBackend>) {
  const channel = new FakeChannel();
  const records: unknown[] = [];
  const edge: SftpEdge = {
    personality: PERSONALITIES[personality],
    maxFileSize: 16 * 1024 ** 3,
    backend: {
      handlePath: () => '/xfer/f',
      canonical: (p: string) => p,
      end: () => undefined,
      ...backend,
    } as SftpBackend,
    takeFault: () => undefined,
    record: (entry) => records.push(entry),
    denied: () => undefined,
    explain: () => undefined,
    drop: () => undefined,
  };
  serveSftpChannel(channel, edge);
  return { channel, records };
}

/** Replies are sent once the operation's promise settles. */
const settle = () => new Promise((resolve) => setImmediate(resolve));
const body = (reply: Buffer) => new PacketReader(reply.subarray(4));
const handle = Buffer.from([0, 0, 0, 1]);

describe('the SFTP packet layer', () => {
  it('answers INIT with version 3 and the personality’s extensions', () => {
    for (const [name, expected] of [
      [
        'openssh-7.4',
        [
          'posix-rename@openssh.com',
          'statvfs@openssh.com',
          'fstatvfs@openssh.com',
          'hardlink@openssh.com',
          'fsync@openssh.com',
        ],
      ],
      ['plain-v3', []],
    ] as const) {
      const { channel } = serve(name, {});
      channel.send(new PacketWriter(PACKET.INIT).uint32(3).finish());
      const reader = body(channel.replies[0] ?? Buffer.alloc(0));
      expect(reader.byte()).toBe(PACKET.VERSION);
      expect(reader.uint32()).toBe(3);
      const names: string[] = [];
      while (reader.remaining > 0) {
        names.push(reader.string());
        reader.string();
      }
      expect(names).toEqual(expected);
    }
  });

  it('shortens a READ to 255 KiB, so the reply fits OpenSSH’s 256 KiB packet limit', async () => {
    const lengths: number[] = [];
    const { channel } = serve('openssh-7.4', {
      read: (_h, _offset, length) => {
        lengths.push(length);
        return Buffer.alloc(length);
      },
    });
    channel.send(
      new PacketWriter(PACKET.READ)
        .uint32(7)
        .bytes(handle)
        .uint64(0)
        .uint32(4 * 1024 * 1024)
        .finish(),
    );
    await settle();
    expect(lengths).toEqual([255 * 1024]);
    const reply = channel.replies[0] ?? Buffer.alloc(0);
    expect(reply.readUInt32BE(0)).toBeLessThanOrEqual(256 * 1024);
    const reader = body(reply);
    expect([reader.byte(), reader.uint32(), reader.bytes().length]).toEqual([PACKET.DATA, 7, 255 * 1024]);
  });

  it('stops serving requests while the channel does not drain, and goes on when it does', async () => {
    let reads = 0;
    const { channel } = serve('openssh-7.4', {
      read: () => {
        reads += 1;
        return Buffer.alloc(8); // small: the test counts replies, the fake channel keeps them all
      },
    });
    channel.draining = false;
    const flood = Array.from({ length: 4000 }, (_, i) =>
      new PacketWriter(PACKET.READ)
        .uint32(i)
        .bytes(handle)
        .uint64(0)
        .uint32(256 * 1024)
        .finish(),
    );
    channel.send(Buffer.concat(flood));
    for (let i = 0; i < 5; i++) await settle();
    // A few replies in flight at most, never 4,000 x 255 KiB held in memory.
    expect(reads).toBeLessThanOrEqual(64);
    expect(channel.paused).toBe(true);
    channel.draining = true;
    const served = new Promise<void>((resolve) => {
      const check = () => (reads === 4000 ? resolve() : setImmediate(check));
      check();
    });
    channel.emit('drain');
    await served;
    expect(channel.replies.map((r) => r.readUInt32BE(5))).toEqual(flood.map((_, i) => i));
    expect(channel.paused).toBe(false);
  });

  it('frames requests split across chunks and several requests in one chunk', async () => {
    const paths: string[] = [];
    const { channel } = serve('openssh-7.4', {
      stat: (path) => {
        paths.push(path);
        return { mode: 0o100644, uid: 0, gid: 0, size: 1, atime: 0, mtime: 0 };
      },
    });
    const one = new PacketWriter(PACKET.STAT).uint32(1).string('/a').finish();
    const two = new PacketWriter(PACKET.STAT).uint32(2).string('/b').finish();
    const both = Buffer.concat([one, two]);
    channel.send(both.subarray(0, 5));
    channel.send(both.subarray(5));
    await settle();
    expect(paths).toEqual(['/a', '/b']);
    expect(channel.replies.map((r) => body(r).byte())).toEqual([PACKET.ATTRS, PACKET.ATTRS]);
  });

  it('answers an extension the personality lacks with OP_UNSUPPORTED', async () => {
    const { channel } = serve('plain-v3', {});
    channel.send(
      new PacketWriter(PACKET.EXTENDED).uint32(9).string('statvfs@openssh.com').string('/xfer').finish(),
    );
    await settle();
    const reader = body(channel.replies[0] ?? Buffer.alloc(0));
    expect([reader.byte(), reader.uint32(), reader.uint32()]).toEqual([
      PACKET.STATUS,
      9,
      STATUS_CODE.OP_UNSUPPORTED,
    ]);
  });
});
