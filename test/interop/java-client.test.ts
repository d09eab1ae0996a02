import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireTools } from '../support/require-tool.ts';
import { runProcess } from '../support/run-process.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

const PROGRAM = join(import.meta.dirname, 'java', 'JschUpload.java');

/** Uploads `remote` with JSch (Debian's libjsch-java on Debian's JDK), its default algorithms. */
async function jschUpload(sim: TestSimulator, remote: string, hostKeyAlgorithms?: string) {
  requireTools('java', 'jsch');
  using dir = tempDir('datasync-jsch-');
  const knownHosts = join(dir.path, 'known_hosts');
  writeFileSync(
    knownHosts,
    sim.sftp.hostKeys.map((key) => `[127.0.0.1]:${sim.sftp.port} ${key.publicKey}\n`).join(''),
  );
  writeFileSync(join(dir.path, 'export.mrc'), 'not checked until processing');
  const args = ['127.0.0.1', String(sim.sftp.port), 'fx_pul', 'pul-secret', knownHosts, 'export.mrc', remote];
  const result = await runProcess(
    'java',
    ['-cp', '/usr/share/java/jsch.jar', PROGRAM, ...args, ...(hostKeyAlgorithms ? [hostKeyAlgorithms] : [])],
    { cwd: dir.path },
  );
  return { code: result.code, out: result.out };
}

describe('a Java client (JSch) against the openssh-7.4 personality', () => {
  it('uploads with its default algorithm lists, the host key checked against known_hosts', async () => {
    await using sim = await startTestSimulator();
    const result = await jschUpload(sim, 'metacoll/in/bib/1012676.pul.java.mrc');
    expect(result.out).toContain('uploaded');
    expect(result.out).toContain('server SSH-2.0-OpenSSH_7.4');
    expect(result.code).toBe(0);
    expect(sim.files.list().map((f) => f.name)).toEqual(['1012676.pul.java.mrc']);
  });

  it.each(['ssh-rsa', 'ecdsa-sha2-nistp256'])('uploads when it accepts only %s host keys', async (type) => {
    await using sim = await startTestSimulator();
    const result = await jschUpload(sim, 'metacoll/in/bib/1012676.pul.only.mrc', type);
    expect(result.out).toContain(`host key ${type}`);
    expect(result.code).toBe(0);
  });
});

describe('a Java client (JSch) against the modern personality', () => {
  it('cannot agree on a host key, as against any server with only an Ed25519 key', async () => {
    await using sim = await startTestSimulator({
      sftp: { host: '127.0.0.1', port: 0, personality: 'modern' },
    });
    const result = await jschUpload(sim, 'metacoll/in/bib/1012676.pul.java.mrc');
    expect(result.out).toContain('failed: Algorithm negotiation fail');
    expect(result.code).toBe(1);
    expect(sim.files.list()).toEqual([]);
  });
});
