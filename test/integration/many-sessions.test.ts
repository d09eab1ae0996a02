import { once } from 'node:events';
import { Client, type SFTPWrapper } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { startTestSimulator } from '../support/test-simulator.ts';

describe('many SFTP sessions on one connection', () => {
  it('serves 12 sftp channels on one connection without a MaxListenersExceededWarning', async () => {
    await using sim = await startTestSimulator({ sftp: { host: '127.0.0.1', port: 0 } });
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    const client = new Client();
    try {
      const ready = once(client, 'ready');
      client.connect({
        host: sim.sftp.host,
        port: sim.sftp.port,
        username: 'fx_pul',
        password: 'pul-secret',
      });
      await ready;
      const channels = await Promise.all(
        Array.from(
          { length: 12 },
          () =>
            new Promise<SFTPWrapper>((resolve, reject) =>
              client.sftp((error, sftp) => (error ? reject(error) : resolve(sftp))),
            ),
        ),
      );
      const homes = await Promise.all(
        channels.map(
          (sftp) =>
            new Promise<string>((resolve, reject) =>
              sftp.realpath('.', (error, path) => (error ? reject(error) : resolve(path))),
            ),
        ),
      );
      expect(homes).toEqual(Array.from({ length: 12 }, () => '/xfer'));
      const closed = once(client, 'close');
      client.end();
      await closed;
      // Warnings are emitted on the next tick after the listener that crossed the limit.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual(
        [],
      );
    } finally {
      process.off('warning', onWarning);
      client.end();
    }
  });
});
