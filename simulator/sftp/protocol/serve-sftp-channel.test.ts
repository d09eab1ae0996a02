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
  write(data: Buffer): void {
    this.replies.push(data);
  }
  end(): void {}
  send(packet: Buffer): void {
    this.emit('data', packet);
  }
}

function serve(personality: SftpPersonalityName, backend: Partial<SftpBackend>) {
  const channel = new FakeChannel();
  const records: unknown[] = [];
  const edge: SftpEdge = {
    personality: PERSONALITIES[personality],
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

  it('shortens a READ to 256 KiB, as OpenSSH does', async () => {
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
    expect(lengths).toEqual([256 * 1024]);
    const reader = body(channel.replies[0] ?? Buffer.alloc(0));
    expect([reader.byte(), reader.uint32(), reader.bytes().length]).toEqual([PACKET.DATA, 7, 256 * 1024]);
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
