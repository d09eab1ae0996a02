import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, handleOf, RawSftpSession, sftpPacket, statusOf } from '../support/raw-sftp-session.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

// Hand-built SFTP packets over a real SSH channel: what a buggy or hostile client sends.
const OPEN = 3;
const CLOSE = 4;
const READ = 5;
const WRITE = 6;
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
