import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import {
  HOST_KEY_FILE_NAMES,
  generateHostKeySync,
  newDataDirKey,
  takeFreshKey,
  type HostKeyType,
  type KeyPair,
} from './generate-host-key.ts';

export type { HostKeyType } from './generate-host-key.ts';

export interface HostKey {
  /** `ssh-rsa`, `ecdsa-sha2-nistp256` or `ssh-ed25519` (the key's type, not a signature algorithm). */
  type: string;
  privateKey: string;
  /** `SHA256:…` as `ssh-keygen -l` prints it. */
  fingerprint: string;
  publicKey: string;
}

/**
 * Loads the configured host key (that one only), or one key per type in `types` from the data
 * dir, generating and saving any that is missing, so fingerprints survive restarts and clients
 * pinning them keep working.
 */
export async function loadHostKeys(
  dataDir: string,
  hostKeyFile: string | undefined,
  types: readonly HostKeyType[],
): Promise<HostKey[]> {
  if (hostKeyFile) return [loadKeyFile(hostKeyFile)];
  const keys: HostKey[] = [];
  for (const type of types) {
    const file = join(dataDir, HOST_KEY_FILE_NAMES[type]);
    if (!existsSync(file)) saveKey(file, await newDataDirKey(dataDir, type));
    keys.push(loadKeyFile(file));
  }
  return keys;
}

/**
 * Replaces every host key with a new one. Generated keys in the data dir are overwritten so the
 * new keys survive a restart; a configured key file is the user's, so it is left alone and the
 * new key (of the same type) lives until the simulator stops.
 */
export function rotateHostKeys(
  dataDir: string,
  hostKeyFile: string | undefined,
  current: readonly HostKey[],
): HostKey[] {
  return current.map((key) => {
    const type = key.type as HostKeyType;
    const pair = type in HOST_KEY_FILE_NAMES ? takeFreshKey(type) : generateHostKeySync('ssh-ed25519');
    if (hostKeyFile) return describeKey(pair.private);
    const file = join(dataDir, HOST_KEY_FILE_NAMES[type]);
    saveKey(file, pair);
    return loadKeyFile(file);
  });
}

/** The key clients have pinned so far (ed25519, the only one before RSA and ECDSA came). */
export function primaryHostKey(keys: readonly HostKey[]): HostKey {
  const key = keys.find((k) => k.type === 'ssh-ed25519') ?? keys[0];
  if (!key) throw new Error('the SFTP server has no host key');
  return key;
}

/** A key pair for tests and tools: ed25519, parseable by ssh2. */
export function generateParseableKeyPair(): KeyPair {
  return generateHostKeySync('ssh-ed25519');
}

function saveKey(file: string, pair: KeyPair): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, pair.private, { mode: 0o600 });
  writeFileSync(`${file}.pub`, `${pair.public}\n`);
}

function loadKeyFile(file: string): HostKey {
  if (!existsSync(file)) throw badHostKey(file, 'no such file');
  let privateKey: string;
  try {
    privateKey = readFileSync(file, 'utf8');
  } catch (error) {
    throw badHostKey(file, error instanceof Error ? error.message : String(error));
  }
  const parsed = ssh2.utils.parseKey(privateKey);
  if (parsed instanceof Error) throw badHostKey(file, `not a usable private key (${parsed.message})`);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key) throw badHostKey(file, 'it holds no key');
  return describeKey(privateKey);
}

function describeKey(privateKey: string): HostKey {
  const parsed = ssh2.utils.parseKey(privateKey);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error) throw new Error('generated host key is not parseable');
  const blob = key.getPublicSSH();
  const fingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
  return { type: key.type, privateKey, fingerprint, publicKey: `${key.type} ${blob.toString('base64')}` };
}

/** A configured host key that cannot be used is a configuration mistake, reported with the fix. */
function badHostKey(file: string, reason: string): DataSyncError {
  return new DataSyncError('CONFIG_INVALID', {
    source: 'sftp.hostKeyFile',
    problems:
      `${file}: ${reason}. Give an OpenSSH private key without a passphrase ` +
      '(ssh-keygen -t ed25519 -N "" -f FILE), or leave hostKeyFile out to use keys generated in dataDir',
  });
}
