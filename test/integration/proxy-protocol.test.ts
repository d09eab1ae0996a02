import { once } from 'node:events';
import { connect as tcpConnect, type Socket } from 'node:net';
import { Client } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { connectAs } from '../support/sftp-test-client.ts';
import { proxyV1, proxyV2, proxyV2Local, startHeaderProxy } from '../support/proxy-header-proxy.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

const LB = { ip: '10.0.0.2', port: 2222 };
const viaHeader = (sim: TestSimulator, header: Buffer) => startHeaderProxy(sim.sftp, header);
const through = (proxy: { host: string; port: number }) => ({ sftp: { host: proxy.host, port: proxy.port } });

/** A raw TCP connection that writes `bytes` first and then stays silent. */
async function rawWith(sim: TestSimulator, bytes: Buffer): Promise<Socket> {
  const socket = tcpConnect(sim.sftp.port, sim.sftp.host).resume();
  await once(socket, 'connect');
  socket.write(bytes);
  return socket;
}

/** One password login through `target`; resolves with how it ended. */
function login(target: { sftp: { host: string; port: number } }, password: string): Promise<string> {
  return new Promise((resolve) => {
    const client = new Client();
    client.once('ready', () => {
      client.end();
      resolve('accepted');
    });
    client.on('error', (error: Error) => resolve(error.message));
    // Cut during the key exchange, ssh2 reports only the close.
    client.on('close', () => resolve('closed'));
    client.connect({ ...target.sftp, username: 'fx_pul', password, readyTimeout: 10_000 });
  });
}

describe('sftp.proxyProtocol', () => {
  it('takes the client address from a v1 header: journal, defender and a login beside it', async () => {
    await using sim = await startTestSimulator({
      sftp: { proxyProtocol: true, defender: { threshold: 2, window: '5m', ban: '15m' } },
    });
    await using attacker = await viaHeader(sim, proxyV1({ ip: '203.0.113.7', port: 50_000 }, LB));
    await using user = await viaHeader(sim, proxyV1({ ip: '198.51.100.9', port: 40_000 }, LB));
    const banned = sim.waitFor('defender:banned');
    expect(await login(through(attacker), 'wrong-1')).toMatch(/authentication methods failed/);
    expect(await login(through(attacker), 'wrong-2')).toMatch(/authentication methods failed/);
    expect((await banned).address).toBe('203.0.113.7');
    // The load balancer's own address (127.0.0.1 here) is not banned: other clients log in.
    await using client = await connectAs(through(user), 'fx_pul', 'pul-secret');
    const operation = sim.waitFor('sftp:operation', (e) => e.operation === 'realpath');
    expect(await client.realpath('.')).toBe('/xfer');
    expect((await operation).address).toBe('198.51.100.9:40000');
    const journalled = sim.journal.list({ type: 'sftp:operation' });
    expect(journalled.map((entry) => (entry.data as { address: string }).address)).toContain(
      '198.51.100.9:40000',
    );
  });

  it('takes the client address from a v2 header (IPv6) for maxStartupsPerAddress', async () => {
    await using sim = await startTestSimulator({
      sftp: { proxyProtocol: true, maxStartupsPerAddress: 1, defender: false },
    });
    const six = { ip: '2001:db8::7', port: 51_000 };
    const first = await rawWith(sim, proxyV2(six, { ip: '2001:db8::1', port: 2222 }));
    try {
      const limited = sim.waitFor('sftp:limited', (e) => e.limit === 'maxStartupsPerAddress');
      await using same = await viaHeader(
        sim,
        proxyV2({ ...six, port: 51_001 }, { ip: '2001:db8::1', port: 2222 }),
      );
      expect(await login(through(same), 'pul-secret')).toMatch(/before handshake/);
      expect((await limited).address).toBe('2001:db8::7');
      await using other = await viaHeader(sim, proxyV2({ ip: '192.0.2.44', port: 1234 }, LB));
      expect(await login(through(other), 'pul-secret')).toBe('accepted');
    } finally {
      first.destroy();
    }
  });

  it("accepts a v2 LOCAL header (HAProxy's health check) with the connection's own address", async () => {
    await using sim = await startTestSimulator({ sftp: { proxyProtocol: true } });
    await using checker = await viaHeader(sim, proxyV2Local());
    expect(await login(through(checker), 'pul-secret')).toBe('accepted');
  });

  it('refuses a connection without a valid header when on, and says why', async () => {
    await using sim = await startTestSimulator({ sftp: { proxyProtocol: true } });
    const limited = sim.waitFor('sftp:limited', (e) => e.limit === 'proxyProtocol');
    expect(await login(sim, 'pul-secret')).not.toBe('accepted');
    expect((await limited).reason).toMatch(/no PROXY protocol header/);
    const bad = sim.waitFor('sftp:limited', (e) => e.limit === 'proxyProtocol');
    const socket = await rawWith(sim, Buffer.from('PROXY TCP4 not-an-address 10.0.0.2 1 2\r\n'));
    await once(socket, 'close');
    expect((await bad).reason).toMatch(/not a valid PROXY protocol header/);
  });

  it('refuses a PROXY header when off, naming the setting', async () => {
    await using sim = await startTestSimulator({ sftp: { defender: false } });
    for (const header of [
      proxyV1({ ip: '203.0.113.7', port: 1 }, LB),
      proxyV2({ ip: '203.0.113.7', port: 1 }, LB),
    ]) {
      const limited = sim.waitFor('sftp:limited', (e) => e.limit === 'proxyProtocol');
      await using proxy = await viaHeader(sim, header);
      expect(await login(through(proxy), 'pul-secret')).not.toBe('accepted');
      expect(await limited).toMatchObject({
        address: '127.0.0.1',
        reason: expect.stringMatching(/sftp\.proxyProtocol/),
      });
    }
  });
});
