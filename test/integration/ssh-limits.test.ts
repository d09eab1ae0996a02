import { connect as tcpConnect, type Socket } from 'node:net';
import { once } from 'node:events';
import { Client } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { connectAs } from '../support/sftp-test-client.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

/** One login attempt on its own connection; resolves with how it ended. */
function login(sim: TestSimulator, username: string, password: string): Promise<'accepted' | string> {
  return new Promise((resolve) => {
    const client = new Client();
    client.once('ready', () => {
      client.end();
      resolve('accepted');
    });
    // ssh2 may report a second error (the server cut the socket); the first one decides.
    client.on('error', (error: Error) => resolve(error.message));
    client.connect({ host: sim.sftp.host, port: sim.sftp.port, username, password, readyTimeout: 10_000 });
  });
}

/** A TCP connection that never logs in, optionally from another loopback address. */
function rawConnection(sim: TestSimulator, localAddress?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ port: sim.sftp.port, host: sim.sftp.host, localAddress }, () =>
      resolve(socket),
    );
    // Read (and drop) the server's version line, so the end of the stream is seen.
    socket.resume();
    socket.once('error', reject);
  });
}

/** A connection that has reached the login step and logs in only when told. */
async function waitingLogin(sim: TestSimulator): Promise<{ client: Client; logIn(): Promise<void> }> {
  const client = new Client();
  client.on('error', () => undefined);
  let go: () => void = () => undefined;
  const told = new Promise<void>((resolve) => (go = resolve));
  const asked = new Promise<void>((resolve) => {
    client.connect({
      host: sim.sftp.host,
      port: sim.sftp.port,
      username: 'fx_pul',
      authHandler: (_methods, _partial, next) => {
        resolve();
        void told.then(() => next({ type: 'password', username: 'fx_pul', password: 'pul-secret' }));
      },
    });
  });
  await asked;
  const ready = once(client, 'ready');
  return {
    client,
    logIn: async () => {
      go();
      await ready;
    },
  };
}

describe('the defender', () => {
  it('bans an address after repeated failed logins, even with the right password, until lifted', async () => {
    await using sim = await startTestSimulator({
      sftp: { host: '127.0.0.1', port: 0, defender: { threshold: 3, window: '5m', ban: '15m' } },
    });
    const banned = sim.waitFor('defender:banned');
    for (let i = 0; i < 3; i++) {
      expect(await login(sim, 'fx_pul', `wrong-${i}`)).toMatch(/authentication methods failed/);
    }
    expect(await banned).toMatchObject({ address: '127.0.0.1', failures: 3 });
    expect(await login(sim, 'fx_pul', 'pul-secret')).not.toBe('accepted');
    expect(sim.journal.list({ type: 'defender:banned' })).toHaveLength(1);

    const headers = { 'content-type': 'application/json' };
    const list = (await (await fetch(`${sim.adminUrl}/api/defender`)).json()) as {
      bans: { address: string }[];
    };
    expect(list.bans.map((b) => b.address)).toEqual(['127.0.0.1']);
    const lifted = await fetch(`${sim.adminUrl}/api/defender/127.0.0.1`, { method: 'DELETE', headers });
    expect(lifted.status).toBe(200);
    expect(await login(sim, 'fx_pul', 'pul-secret')).toBe('accepted');
    const again = await fetch(`${sim.adminUrl}/api/defender/127.0.0.1`, { method: 'DELETE', headers });
    expect(again.status).toBe(404);
  });

  it('answers an unknown user exactly as a wrong password', async () => {
    await using sim = await startTestSimulator({ sftp: { host: '127.0.0.1', port: 0, defender: false } });
    expect(await login(sim, 'fx_nobody', 'x')).toBe(await login(sim, 'fx_pul', 'x'));
  });
});

describe('SSH limits', () => {
  it('closes a connection after maxAuthTries failed attempts on it', async () => {
    await using sim = await startTestSimulator({
      sftp: { host: '127.0.0.1', port: 0, maxAuthTries: 3, defender: false },
    });
    const limited = sim.waitFor('sftp:limited', (e) => e.limit === 'maxAuthTries');
    let attempts = 0;
    const client = new Client();
    // events.once would reject on the EPIPE the cut connection gives; only the close matters.
    const ended = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.on('error', () => undefined);
    client.connect({
      host: sim.sftp.host,
      port: sim.sftp.port,
      username: 'fx_pul',
      authHandler: (_methods, _partial, next) => {
        attempts++;
        next({ type: 'password', username: 'fx_pul', password: `guess-${attempts}` });
      },
    });
    await ended;
    await limited;
    expect(attempts).toBeLessThanOrEqual(4);
  });

  it('closes a connection that has not logged in within loginGraceTime', async () => {
    await using sim = await startTestSimulator({
      sftp: { host: '127.0.0.1', port: 0, loginGraceTime: '300ms' },
    });
    const limited = sim.waitFor('sftp:limited', (e) => e.limit === 'loginGraceTime');
    const socket = await rawConnection(sim);
    await once(socket, 'close');
    expect((await limited).reason).toMatch(/not logged in within/);
  });

  it('refuses connections beyond maxConnections at once', async () => {
    await using sim = await startTestSimulator({ sftp: { host: '127.0.0.1', port: 0, maxConnections: 2 } });
    const open = [await rawConnection(sim), await rawConnection(sim)];
    const limited = sim.waitFor('sftp:limited', (e) => e.limit === 'maxConnections');
    const third = await rawConnection(sim);
    await once(third, 'close');
    await limited;
    for (const socket of open) socket.destroy();
  });

  it('refuses unauthenticated connections from one address beyond maxStartupsPerAddress', async () => {
    await using sim = await startTestSimulator({
      sftp: { host: '127.0.0.1', port: 0, maxStartupsPerAddress: 2, defender: false },
    });
    // A logged-in connection no longer counts: it is not a startup.
    await using established = await connectAs(sim, 'fx_pul', 'pul-secret');
    const waiting = [await waitingLogin(sim), await waitingLogin(sim)];
    const limited = sim.waitFor('sftp:limited', (e) => e.limit === 'maxStartupsPerAddress');
    const third = await rawConnection(sim);
    await once(third, 'close');
    expect(await limited).toMatchObject({
      address: '127.0.0.1',
      reason: expect.stringMatching(/^2 connections/),
    });
    await expect(connectAs(sim, 'fx_pul', 'pul-secret')).rejects.toThrow(/before handshake/);
    // Another address is not held back, and the established session goes on.
    const other = await rawConnection(sim, '127.0.0.2');
    try {
      expect(other.destroyed).toBe(false);
      expect(await established.realpath('.')).toBe('/xfer');
      // Once one startup has logged in, the address may start another.
      await waiting[0]?.logIn();
      await using again = await connectAs(sim, 'fx_pul', 'pul-secret');
      expect(await again.realpath('.')).toBe('/xfer');
    } finally {
      other.destroy();
      for (const login of waiting) login.client.end();
    }
  });

  it('counts connections refused by maxStartupsPerAddress towards the defender', async () => {
    await using sim = await startTestSimulator({
      sftp: {
        host: '127.0.0.1',
        port: 0,
        maxStartupsPerAddress: 1,
        defender: { threshold: 2, window: '5m', ban: '15m' },
      },
    });
    const first = await rawConnection(sim);
    const banned = sim.waitFor('defender:banned');
    for (let i = 0; i < 2; i++) await once(await rawConnection(sim), 'close');
    expect(await banned).toMatchObject({ address: '127.0.0.1', failures: 2 });
    first.destroy();
  });

  it('refuses an SFTP session beyond maxSessionsPerAccount', async () => {
    await using sim = await startTestSimulator({
      sftp: { host: '127.0.0.1', port: 0, maxSessionsPerAccount: 2 },
    });
    await using a = await connectAs(sim, 'fx_pul', 'pul-secret');
    await using b = await connectAs(sim, 'fx_pul', 'pul-secret');
    await expect(connectAs(sim, 'fx_pul', 'pul-secret')).rejects.toThrow();
    await using other = await connectAs(sim, 'fx_ab_64', 'ab-secret');
    expect(await a.realpath('.')).toBe('/xfer');
    expect(await b.realpath('.')).toBe('/xfer');
    expect(await other.realpath('.')).toBe('/xfer');
  });

  it('closes a logged-in connection without any SFTP request for idleTimeout', async () => {
    await using sim = await startTestSimulator({
      sftp: { host: '127.0.0.1', port: 0, idleTimeout: '400ms' },
    });
    const client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const closed = once(client.connection, 'close');
    const limited = sim.waitFor('sftp:limited', (e) => e.limit === 'idleTimeout');
    await closed;
    expect((await limited).reason).toMatch(/no SFTP request for/);
  });
});
