import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { generateParseableKeyPair } from '../../simulator/sftp/host-keys.ts';
import { SftpTestClient, connectAs } from '../support/sftp-test-client.ts';
import { startTestSimulator, TEST_INSTITUTIONS } from '../support/test-simulator.ts';

async function loginFails(promise: Promise<SftpTestClient>): Promise<Error> {
  try {
    const client = await promise;
    await client[Symbol.asyncDispose]();
  } catch (error) {
    return error as Error;
  }
  throw new Error('the login succeeded but should have failed');
}

describe('password logins', () => {
  it('accept fx_<symbol> and the legacy bare symbol, both landing in /xfer', async () => {
    await using sim = await startTestSimulator();
    for (const user of ['fx_ab_64', 'ab_64']) {
      await using client = await connectAs(sim, user, 'ab-secret');
      expect(await client.realpath('.')).toBe('/xfer');
    }
    const accepted = sim.journal.list({ type: 'auth:accepted' }).map((e) => e.account);
    expect(accepted).toEqual(['fx_ab_64', 'ab_64']);
  });

  it('refuse a wrong password and journal it', async () => {
    await using sim = await startTestSimulator();
    const error = await loginFails(connectAs(sim, 'fx_pul', 'PUL-SECRET'));
    expect(error.message).toMatch(/authentication methods failed/i);
    expect(sim.journal.list({ type: 'auth:refused' })[0]).toMatchObject({
      account: 'fx_pul',
      message: 'wrong password',
    });
  });

  it('explain an unencoded special character in a userauth banner', async () => {
    await using sim = await startTestSimulator();
    const banners: string[] = [];
    const client = new ssh2.Client();
    const refused = new Promise<Error>((resolve) => client.once('error', resolve));
    client.on('banner', (message: string) => banners.push(message));
    client.connect({ host: sim.sftp.host, port: sim.sftp.port, username: 'fx_ab@', password: 'ab-secret' });
    await refused;
    client.end();
    expect(banners.join('')).toContain(
      `Failed to log in as "fx_ab@": '@' in the user name must be written '_64'. Log in as fx_ab_64.`,
    );
    expect(sim.journal.list({ type: 'auth:refused' })[0]).toMatchObject({
      message: "'@' in the user name must be written '_64'",
    });
  });
});

describe('public-key logins', () => {
  it('accept a configured key and refuse another', async () => {
    const allowed = generateParseableKeyPair();
    const other = generateParseableKeyPair();
    const institutions = TEST_INSTITUTIONS.map((inst) =>
      inst.symbol === 'PUL' ? { ...inst, password: undefined, publicKeys: [allowed.public] } : inst,
    );
    await using sim = await startTestSimulator({ institutions });
    await using client = await SftpTestClient.connect({
      host: sim.sftp.host,
      port: sim.sftp.port,
      username: 'fx_pul',
      privateKey: allowed.private,
    });
    expect(await client.realpath('.')).toBe('/xfer');
    await loginFails(
      SftpTestClient.connect({
        host: sim.sftp.host,
        port: sim.sftp.port,
        username: 'fx_pul',
        privateKey: other.private,
      }),
    );
    await loginFails(connectAs(sim, 'fx_pul', 'pul-secret'));
  });
});
