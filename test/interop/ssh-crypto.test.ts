import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshCryptoBindingLoaded } from '../../simulator/sftp/ssh-crypto-binding.ts';
import { runOpenSshSftp } from '../support/openssh-sftp.ts';
import { requireTools } from '../support/require-tool.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

let sim: TestSimulator;
let dir: { path: string } & Disposable;

beforeAll(async () => {
  requireTools('sftp', 'sshpass');
  sim = await startTestSimulator();
  dir = tempDir();
});

afterAll(async () => {
  await sim?.stop();
  dir?.[Symbol.dispose]();
});

describe('SSH crypto', () => {
  it("ssh2's native crypto binding is built and loaded (npm ci runs its install script)", () => {
    expect(sshCryptoBindingLoaded()).toBe(true);
  });

  it('OpenSSH negotiates chacha20-poly1305 (its first choice, native in ssh2 with the binding)', async () => {
    const result = await runOpenSshSftp({
      sim,
      dir: dir.path,
      user: 'fx_pul',
      password: 'pul-secret',
      batch: ['pwd'],
      extraArgs: ['-v'],
    });
    expect(result.code).toBe(0);
    const kex = result.stderr.split('\n').filter((l) => l.includes('kex: client->server cipher:'));
    expect(kex).toEqual([expect.stringContaining('cipher: chacha20-poly1305@openssh.com MAC: <implicit>')]);
  });
});
