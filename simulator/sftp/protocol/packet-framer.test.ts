import { describe, expect, it } from 'vitest';
import { PacketFramer } from './packet-framer.ts';

function frame(body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

describe('PacketFramer', () => {
  const bodies = [Buffer.from('a'), Buffer.alloc(40_000, 7), Buffer.alloc(0), Buffer.from('last packet')];
  const stream = Buffer.concat(bodies.map(frame));

  it('returns the same packets however the stream is cut into chunks', () => {
    for (const size of [1, 2, 3, 5, 4096, 32_768, stream.length]) {
      const framer = new PacketFramer();
      const packets: Buffer[] = [];
      for (let at = 0; at < stream.length; at += size)
        packets.push(...framer.push(stream.subarray(at, at + size)));
      expect(
        packets.map((p) => p.toString('hex')),
        `chunks of ${size}`,
      ).toEqual(bodies.map((b) => b.toString('hex')));
    }
  });

  it('holds a partial packet until its last byte arrives', () => {
    const framer = new PacketFramer();
    expect(framer.push(stream.subarray(0, 7))).toEqual([Buffer.from('a')]);
    expect(framer.push(stream.subarray(7, 100))).toEqual([]);
  });

  it('refuses a packet longer than OpenSSH allows, even when its length arrives in pieces', () => {
    const framer = new PacketFramer();
    expect(framer.push(Buffer.from([0x00, 0x10]))).toEqual([]);
    expect(() => framer.push(Buffer.from([0x00, 0x00, 1]))).toThrow(RangeError);
  });
});
