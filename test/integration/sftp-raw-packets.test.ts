import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dataOf,
  framed,
  handleOf,
  RawSftpSession,
  sftpPacket,
  statusOf,
} from '../support/raw-sftp-session.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

// Hand-built SFTP packets over a real SSH channel: what a buggy or hostile client sends.
const OPEN = 3;
const CLOSE = 4;
const READ = 5;
const WRITE = 6;
const FSTAT = 8;
const SETSTAT = 9;
const READ_FLAG = 0x1;
const WRITE_NEW = 0x2 | 0x8 | 0x10; // WRITE | CREAT | TRUNC

let sim: TestSimulator;
/** A 1 MiB file under a temporary name, which its uploader may read back while connected. */
const BIG = '/xfer/metacoll/in/bib/1012676.pul.big.mrc.part';
const content = randomBytes(1024 * 1024);

beforeAll(async () => {
  sim = await startTestSimulator();
});

afterAll(async () => {
  await sim?.stop();
});

/** Uploads `content` under BIG in this session (a temporary file goes when its session ends). */
async function openForReading(session: RawSftpSession): Promise<Buffer> {
  const upload = handleOf(await session.request(sftpPacket(OPEN, 1, BIG, WRITE_NEW, 0)));
  const chunk = 32 * 1024;
  const writes = [];
  for (let offset = 0; offset < content.length; offset += chunk) {
    const data = content.subarray(offset, offset + chunk);
    writes.push(session.request(sftpPacket(WRITE, 10_000 + offset / chunk, upload, BigInt(offset), data)));
  }
  for (const reply of await Promise.all(writes)) expect(statusOf(reply)?.code).toBe(0);
  expect(statusOf(await session.request(sftpPacket(CLOSE, 2, upload)))?.code).toBe(0);
  return handleOf(await session.request(sftpPacket(OPEN, 3, BIG, READ_FLAG, 0)));
}

describe('READ', () => {
  it('answers a READ of 4 GiB with 255 KiB, a reply OpenSSH accepts', async () => {
    await using session = await RawSftpSession.open(sim, 'fx_pul', 'pul-secret');
    const handle = await openForReading(session);
    const reply = await session.request(sftpPacket(READ, 2, handle, 1000n, 0xffffffff));
    expect(reply.length).toBeLessThanOrEqual(256 * 1024);
    expect(dataOf(reply)).toEqual(content.subarray(1000, 1000 + 255 * 1024));
  });

  it('stops serving a client that sends READs and reads no replies, then serves every one', async () => {
    await using session = await RawSftpSession.open(sim, 'fx_pul', 'pul-secret');
    const handle = await openForReading(session);
    const count = 1000;
    global.gc?.();
    const before = process.memoryUsage().rss;
    // The client stops reading: its window closes once 2 MiB of replies wait in it.
    session.channel.pause();
    for (let i = 0; i < count; i++)
      session.send(sftpPacket(READ, 100 + i, handle, BigInt((i % 4) * 255 * 1024), 256 * 1024));
    await until(() => session.channel.readableLength >= 2 * 1024 * 1024 - 64 * 1024);
    // Served without backpressure, the 999 replies past the window would be held: 250 MB.
    const grown = process.memoryUsage().rss - before;
    expect(grown).toBeLessThan(64 * 1024 * 1024);
    session.channel.resume();
    const replies = await Promise.all(Array.from({ length: count }, (_, i) => session.reply(100 + i)));
    replies.forEach((reply, i) => {
      const offset = (i % 4) * 255 * 1024;
      expect(dataOf(reply).equals(content.subarray(offset, offset + 255 * 1024))).toBe(true);
    });
  });
});

/** Polls a condition the server's side effects will make true (never a fixed sleep). */
async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const OK = 0;
const EOF = 1;
const FAILURE = 4;
const BAD_MESSAGE = 5;
const OP_UNSUPPORTED = 8;
const LIMIT = /at most 17\.2 GB \(17179869184 bytes, sftp\.maxFileSize\)/;

describe('offsets are exact 64-bit values', () => {
  it('writes at 2^32 + 5 exactly there, and FSTAT says so', async () => {
    await using session = await RawSftpSession.open(sim, 'fx_pul', 'pul-secret');
    const path = '/xfer/metacoll/in/bib/1012676.pul.sparse.mrc.part';
    const handle = handleOf(await session.request(sftpPacket(OPEN, 1, path, WRITE_NEW | READ_FLAG, 0)));
    const at = 2n ** 32n + 5n;
    expect(statusOf(await session.request(sftpPacket(WRITE, 2, handle, at, 'XYZ')))?.code).toBe(OK);
    const attrs = await session.request(sftpPacket(FSTAT, 3, handle));
    expect(attrs.readBigUInt64BE(9)).toBe(at + 3n);
    expect(dataOf(await session.request(sftpPacket(READ, 4, handle, at, 3))).toString()).toBe('XYZ');
    expect(dataOf(await session.request(sftpPacket(READ, 5, handle, 0n, 3)))).toEqual(Buffer.alloc(3));
  });

  it.each([
    ['2^44', 2n ** 44n],
    ['2^53 - 1', 2n ** 53n - 1n],
    ['2^53', 2n ** 53n],
    ['2^53 + 1', 2n ** 53n + 1n],
    ['2^63', 2n ** 63n],
    ['2^64 - 1', 2n ** 64n - 1n],
  ])('refuses a WRITE at %s naming sftp.maxFileSize; the upload is never processed', async (_, at) => {
    await using session = await RawSftpSession.open(sim, 'fx_pul', 'pul-secret');
    const name = `1012676.pul.offset${at}.mrc`;
    const handle = handleOf(
      await session.request(sftpPacket(OPEN, 1, `/xfer/metacoll/in/bib/${name}`, WRITE_NEW, 0)),
    );
    expect(statusOf(await session.request(sftpPacket(WRITE, 2, handle, 0n, 'HELLO-WORLD')))?.code).toBe(OK);
    const refused = statusOf(await session.request(sftpPacket(WRITE, 3, handle, at, 'XYZ')));
    expect(refused?.code).toBe(FAILURE);
    expect(refused?.message).toMatch(LIMIT);
    expect(refused?.message).not.toContain('bug');
    expect(statusOf(await session.request(sftpPacket(CLOSE, 4, handle)))?.code).toBe(FAILURE);
    expect(sim.files.list().find((f) => f.name === name)?.state).toBe('incomplete');
  });

  it.each([
    ['2^53', 2n ** 53n],
    ['2^64 - 1', 2n ** 64n - 1n],
  ])('refuses a READ at %s naming sftp.maxFileSize, not as a bug', async (_, at) => {
    await using session = await RawSftpSession.open(sim, 'fx_pul', 'pul-secret');
    const handle = await openForReading(session);
    const refused = statusOf(await session.request(sftpPacket(READ, 9, handle, at, 1024)));
    expect(refused?.code).toBe(FAILURE);
    expect(refused?.message).toMatch(LIMIT);
    // Within the limit, past the end: an ordinary EOF.
    expect(statusOf(await session.request(sftpPacket(READ, 10, handle, 2n ** 33n, 1024)))?.code).toBe(EOF);
  });

  it('refuses a SETSTAT size beyond the limit', async () => {
    await using session = await RawSftpSession.open(sim, 'fx_pul', 'pul-secret');
    await openForReading(session);
    const refused = statusOf(await session.request(sftpPacket(SETSTAT, 9, BIG, 0x1, 2n ** 63n)));
    expect(refused?.code).toBe(FAILURE);
    expect(refused?.message).toMatch(LIMIT);
  });
});

describe('sftp.maxFileSize', () => {
  it('takes a WRITE ending at the limit and refuses one crossing it', async () => {
    await using small = await startTestSimulator({ sftp: { maxFileSize: '1MiB' } });
    await using session = await RawSftpSession.open(small, 'fx_pul', 'pul-secret');
    const path = '/xfer/metacoll/in/bib/1012676.pul.limit.mrc.part';
    const handle = handleOf(await session.request(sftpPacket(OPEN, 1, path, WRITE_NEW, 0)));
    const mib = 1024n * 1024n;
    expect(statusOf(await session.request(sftpPacket(WRITE, 2, handle, mib - 4n, 'ABCD')))?.code).toBe(OK);
    const refused = statusOf(await session.request(sftpPacket(WRITE, 3, handle, mib - 3n, 'ABCD')));
    expect(refused?.code).toBe(FAILURE);
    expect(refused?.message).toMatch(/at most 1 MB \(1048576 bytes, sftp\.maxFileSize\)/);
  });
});

describe('malformed packets', () => {
  it('answers a truncated request BAD_MESSAGE and goes on serving', async () => {
    await using session = await RawSftpSession.open(sim, 'fx_pul', 'pul-secret');
    // OPEN whose path claims 1,000 bytes in a packet of a few.
    const body = Buffer.concat([Buffer.from([OPEN]), u32(7), u32(1000), Buffer.from('/xfer')]);
    session.send(framed(body));
    expect(statusOf(await session.reply(7))?.code).toBe(BAD_MESSAGE);
    // READ whose 8-byte offset is cut to 3.
    session.send(framed(Buffer.concat([Buffer.from([READ]), u32(8), u32(4), u32(1), Buffer.alloc(3)])));
    expect(statusOf(await session.reply(8))?.code).toBe(BAD_MESSAGE);
    const alive = await session.request(sftpPacket(16, 9, '.'));
    expect(alive[0]).toBe(104); // REALPATH answered NAME
  });

  it('answers an unknown packet type OP_UNSUPPORTED', async () => {
    await using session = await RawSftpSession.open(sim, 'fx_pul', 'pul-secret');
    expect(statusOf(await session.request(sftpPacket(99, 5, 'whatever')))?.code).toBe(OP_UNSUPPORTED);
  });

  it.each([
    ['too short to hold its request id', framed(Buffer.from([OPEN, 0, 0]))],
    ['longer than the 256 KiB limit', u32(1024 * 1024 + 1)],
  ])('closes only the channel of a packet %s; the connection serves on', async (_, bytes) => {
    await using first = await RawSftpSession.open(sim, 'fx_pul', 'pul-secret');
    const second = await first.another();
    first.send(bytes);
    await first.closed;
    const alive = await second.request(sftpPacket(16, 9, '.'));
    expect(alive[0]).toBe(104);
  });
});

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return b;
}
