import { createRequire } from 'node:module';
import type { Algorithms } from 'ssh2';
import type { SftpPersonalityName } from '../config/personality-names.ts';
import type { HostKeyType } from './generate-host-key.ts';

/** What the SSH layer offers in a personality: host key types and algorithm lists. */
export interface SshPersonality {
  /** Host keys kept in the data dir, in the order sshd loads them (`HostKey` defaults). */
  hostKeyTypes: readonly HostKeyType[];
  /** ssh2's `algorithms` (exact lists, in order); undefined: ssh2's defaults. */
  algorithms: Algorithms | undefined;
  /** What the personality's original offers that ssh2 cannot serve, for the docs and a test. */
  leftOut: readonly string[];
}

/**
 * `sshd -T` of OpenSSH 7.4p1 as CentOS 7 builds it (OCLC's exchange), in its order. Red Hat's
 * build keeps the SHA-1 key exchanges and CBC ciphers upstream 7.4 had dropped, which is why Java
 * exporters with old defaults (JSch) reach OCLC.
 */
const OPENSSH_74 = {
  kex: [
    'curve25519-sha256',
    'curve25519-sha256@libssh.org',
    'ecdh-sha2-nistp256',
    'ecdh-sha2-nistp384',
    'ecdh-sha2-nistp521',
    'diffie-hellman-group-exchange-sha256',
    'diffie-hellman-group16-sha512',
    'diffie-hellman-group18-sha512',
    'diffie-hellman-group-exchange-sha1',
    'diffie-hellman-group14-sha256',
    'diffie-hellman-group14-sha1',
    'diffie-hellman-group1-sha1',
  ],
  // sshd announces each key's algorithms in HostKey order; RSA as ssh-rsa, then the SHA-2 forms.
  serverHostKey: ['ssh-rsa', 'rsa-sha2-512', 'rsa-sha2-256', 'ecdsa-sha2-nistp256', 'ssh-ed25519'],
  cipher: [
    'chacha20-poly1305@openssh.com',
    'aes128-ctr',
    'aes192-ctr',
    'aes256-ctr',
    'aes128-gcm@openssh.com',
    'aes256-gcm@openssh.com',
    'aes128-cbc',
    'aes192-cbc',
    'aes256-cbc',
    'blowfish-cbc',
    'cast128-cbc',
    '3des-cbc',
  ],
  hmac: [
    'umac-64-etm@openssh.com',
    'umac-128-etm@openssh.com',
    'hmac-sha2-256-etm@openssh.com',
    'hmac-sha2-512-etm@openssh.com',
    'hmac-sha1-etm@openssh.com',
    'umac-64@openssh.com',
    'umac-128@openssh.com',
    'hmac-sha2-256',
    'hmac-sha2-512',
    'hmac-sha1',
  ],
  compress: ['none', 'zlib@openssh.com'],
} as const;

/** ssh2 implements group exchange for clients only; it lists it as supported all the same. */
const CLIENT_ONLY = new Set(['diffie-hellman-group-exchange-sha256', 'diffie-hellman-group-exchange-sha1']);

interface Ssh2Supported {
  SUPPORTED_KEX: string[];
  SUPPORTED_SERVER_HOST_KEY: string[];
  SUPPORTED_CIPHER: string[];
  SUPPORTED_MAC: string[];
  SUPPORTED_COMPRESSION: string[];
}

/** 7.4's lists, keeping only what this ssh2 and this OpenSSL can serve (blowfish and CAST need
 * OpenSSL's legacy provider; UMAC is not in ssh2). */
function openssh74(): SshPersonality {
  const require = createRequire(import.meta.url);
  const s = require('ssh2/lib/protocol/constants.js') as Ssh2Supported;
  const leftOut: string[] = [];
  const keep = (list: readonly string[], supported: string[]): string[] =>
    list.filter((name) => {
      const ok = supported.includes(name) && !CLIENT_ONLY.has(name);
      if (!ok) leftOut.push(name);
      return ok;
    });
  const algorithms: Algorithms = {
    kex: keep(OPENSSH_74.kex, s.SUPPORTED_KEX) as Algorithms['kex'],
    serverHostKey: keep(OPENSSH_74.serverHostKey, s.SUPPORTED_SERVER_HOST_KEY) as Algorithms['serverHostKey'],
    cipher: keep(OPENSSH_74.cipher, s.SUPPORTED_CIPHER) as Algorithms['cipher'],
    hmac: keep(OPENSSH_74.hmac, s.SUPPORTED_MAC) as Algorithms['hmac'],
    compress: keep(OPENSSH_74.compress, s.SUPPORTED_COMPRESSION) as Algorithms['compress'],
  };
  return { hostKeyTypes: ['ssh-rsa', 'ecdsa-sha2-nistp256', 'ssh-ed25519'], algorithms, leftOut };
}

/** Before issue 21 every personality offered this: one Ed25519 key and ssh2's current defaults. */
const MODERN: SshPersonality = { hostKeyTypes: ['ssh-ed25519'], algorithms: undefined, leftOut: [] };

export function sshPersonality(name: SftpPersonalityName): SshPersonality {
  return name === 'openssh-7.4' ? openssh74() : MODERN;
}
