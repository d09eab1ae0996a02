import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireTools } from '../support/require-tool.ts';
import { runProcess } from '../support/run-process.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

/** `ssh -vv` limited to `hostKeyAlgorithms`: what the server offered and which key it showed. */
async function sshOffer(sim: TestSimulator, hostKeyAlgorithms: string) {
  requireTools('sftp');
  using dir = tempDir('datasync-hostkey-');
  const knownHosts = join(dir.path, 'known_hosts');
  writeFileSync(
    knownHosts,
    sim.sftp.hostKeys.map((key) => `[127.0.0.1]:${sim.sftp.port} ${key.publicKey}\n`).join(''),
  );
  // A key nobody accepts: the exchange and the host key check happen, then login fails (exit 255).
  const result = await runProcess(
    'ssh',
    [
      '-vv',
      '-p',
      String(sim.sftp.port),
      `-oHostKeyAlgorithms=${hostKeyAlgorithms}`,
      `-oUserKnownHostsFile=${knownHosts}`,
      '-oStrictHostKeyChecking=yes',
      '-oBatchMode=yes',
      '-oPubkeyAuthentication=no',
      'fx_pul@127.0.0.1',
      'true',
    ],
    { cwd: dir.path },
  );
  const lines = result.stderr.split(/\r?\n/);
  const peer = lines.slice(lines.findIndex((l) => l.includes('peer server KEXINIT proposal')));
  const list = (name: string): string[] =>
    (peer.find((l) => l.startsWith(`debug2: ${name}: `)) ?? '').replace(/^[^:]*: [^:]*: /, '').split(',');
  return {
    hostKey: /Server host key: (\S+) (\S+)/.exec(result.stderr)?.slice(1, 3),
    verified: result.stderr.includes('Host key verified') || /matches .* host key/.test(result.stderr),
    refusedLogin: result.stderr.includes('Permission denied'),
    stderr: result.stderr,
    offer: {
      kex: list('KEX algorithms'),
      hostKeys: list('host key algorithms'),
      ciphers: list('ciphers stoc'),
      macs: list('MACs stoc'),
      compression: list('compression stoc'),
    },
  };
}

describe('host keys of the openssh-7.4 personality (the default)', () => {
  it('offers RSA, ECDSA and Ed25519 keys; OpenSSH verifies each type against its fingerprint', async () => {
    await using sim = await startTestSimulator();
    const fingerprint = Object.fromEntries(sim.sftp.hostKeys.map((k) => [k.type, k.fingerprint]));
    expect(Object.keys(fingerprint)).toEqual(['ssh-rsa', 'ecdsa-sha2-nistp256', 'ssh-ed25519']);
    for (const [algorithm, type] of [
      ['ssh-ed25519', 'ssh-ed25519'],
      ['ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp256'],
      ['rsa-sha2-512', 'ssh-rsa'],
      ['rsa-sha2-256', 'ssh-rsa'],
    ] as const) {
      const seen = await sshOffer(sim, algorithm);
      expect(seen.hostKey, `${algorithm}\n${seen.stderr}`).toEqual([type, fingerprint[type]]);
      expect(seen.refusedLogin, algorithm).toBe(true);
    }
    expect(sim.sftp.hostKeyFingerprint).toBe(fingerprint['ssh-ed25519']);
  });

  it("offers OpenSSH 7.4's lists in its order, less what ssh2 cannot serve", async () => {
    await using sim = await startTestSimulator();
    const { offer } = await sshOffer(sim, 'ssh-ed25519');
    expect(offer.kex).toEqual([
      'curve25519-sha256',
      'curve25519-sha256@libssh.org',
      'ecdh-sha2-nistp256',
      'ecdh-sha2-nistp384',
      'ecdh-sha2-nistp521',
      'diffie-hellman-group16-sha512',
      'diffie-hellman-group18-sha512',
      'diffie-hellman-group14-sha256',
      'diffie-hellman-group14-sha1',
      'diffie-hellman-group1-sha1',
      'kex-strict-s-v00@openssh.com',
    ]);
    expect(offer.hostKeys).toEqual([
      'ssh-rsa',
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ecdsa-sha2-nistp256',
      'ssh-ed25519',
    ]);
    // blowfish-cbc and cast128-cbc need OpenSSL's legacy provider; the rest of 7.4's list, in order.
    expect(offer.ciphers.slice(0, 9)).toEqual([
      'chacha20-poly1305@openssh.com',
      'aes128-ctr',
      'aes192-ctr',
      'aes256-ctr',
      'aes128-gcm@openssh.com',
      'aes256-gcm@openssh.com',
      'aes128-cbc',
      'aes192-cbc',
      'aes256-cbc',
    ]);
    expect(offer.ciphers.at(-1)).toBe('3des-cbc');
    expect(offer.macs).toEqual([
      'hmac-sha2-256-etm@openssh.com',
      'hmac-sha2-512-etm@openssh.com',
      'hmac-sha1-etm@openssh.com',
      'hmac-sha2-256',
      'hmac-sha2-512',
      'hmac-sha1',
    ]);
    expect(offer.compression).toEqual(['none', 'zlib@openssh.com']);
  });

  it('keeps one key file per type in the data dir, the same that ssh-keygen fingerprints', async () => {
    requireTools('ssh-keygen');
    await using sim = await startTestSimulator();
    for (const [file, type] of [
      ['ssh_host_rsa_key', 'ssh-rsa'],
      ['ssh_host_ecdsa_key', 'ecdsa-sha2-nistp256'],
      ['ssh_host_ed25519_key', 'ssh-ed25519'],
    ]) {
      const listed = execFileSync('ssh-keygen', ['-lf', join(sim.dataDir, `${file}.pub`)], {
        encoding: 'utf8',
      });
      expect(listed).toContain(sim.sftp.hostKeys.find((k) => k.type === type)?.fingerprint);
    }
    const health = (await (await fetch(`${sim.adminUrl}/api/health`)).json()) as {
      sftp: { hostKeys: { type: string; fingerprint: string }[] };
    };
    expect(health.sftp.hostKeys.map((k) => [k.type, k.fingerprint])).toEqual(
      sim.sftp.hostKeys.map((k) => [k.type, k.fingerprint]),
    );
  });

  it('rotation replaces every key; the new keys serve at once and survive a restart', async () => {
    using dir = tempDir();
    const first = await startTestSimulator({}, { dataDir: dir.path });
    const before = first.sftp.hostKeys.map((k) => k.fingerprint);
    const rotated = (await (
      await fetch(`${first.adminUrl}/api/host-key/rotate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as { fingerprint: string; hostKeys: { type: string; fingerprint: string }[] };
    const after = rotated.hostKeys.map((k) => k.fingerprint);
    expect(after).toHaveLength(3);
    for (const fingerprint of after) expect(before).not.toContain(fingerprint);
    expect(rotated.fingerprint).toBe(rotated.hostKeys.find((k) => k.type === 'ssh-ed25519')?.fingerprint);
    expect((await sshOffer(first, 'rsa-sha2-256')).hostKey?.[1]).toBe(after[0]);
    await first.stop();
    await using second = await startTestSimulator({}, { dataDir: dir.path });
    expect(second.sftp.hostKeys.map((k) => k.fingerprint)).toEqual(after);
  });

  it('sftp.hostKeyFile names the one key offered', async () => {
    requireTools('ssh-keygen');
    using keys = tempDir();
    const file = join(keys.path, 'my_ecdsa_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-b', '256', '-N', '', '-f', file]);
    await using sim = await startTestSimulator({ sftp: { host: '127.0.0.1', port: 0, hostKeyFile: file } });
    expect(sim.sftp.hostKeys.map((k) => k.type)).toEqual(['ecdsa-sha2-nistp256']);
    expect(sim.sftp.hostPublicKey).toBe(readFileSync(`${file}.pub`, 'utf8').split(' ').slice(0, 2).join(' '));
    const seen = await sshOffer(sim, 'ssh-ed25519,ecdsa-sha2-nistp256');
    expect(seen.offer.hostKeys).toEqual(['ecdsa-sha2-nistp256']);
  });
});

describe('host keys of the modern personality', () => {
  it('offers one Ed25519 key and current algorithms only', async () => {
    await using sim = await startTestSimulator({
      sftp: { host: '127.0.0.1', port: 0, personality: 'modern' },
    });
    expect(sim.sftp.hostKeys.map((k) => k.type)).toEqual(['ssh-ed25519']);
    const ecdsa = await sshOffer(sim, 'ecdsa-sha2-nistp256');
    expect(ecdsa.stderr).toContain('no matching host key type found');
    const { offer } = await sshOffer(sim, 'ssh-ed25519');
    expect(offer.kex).not.toContain('diffie-hellman-group14-sha1');
    expect(offer.ciphers).not.toContain('aes128-cbc');
  });
});
