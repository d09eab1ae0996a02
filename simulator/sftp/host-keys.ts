import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import ssh2 from 'ssh2';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import { storageLayout } from '../storage/storage-layout.ts';

export interface HostKey {
  privateKey: string;
  /** `SHA256:…` as `ssh-keygen -l` prints it. */
  fingerprint: string;
  publicKey: string;
}

/**
 * Loads the configured host key, or the one generated on first start in the data dir, so the
 * fingerprint survives restarts and clients pinning it keep working.
 */
export function loadHostKey(dataDir: string, hostKeyFile: string | undefined): HostKey {
  const file = hostKeyFile ?? storageLayout.hostKeyFile(dataDir);
  if (!existsSync(file)) {
    if (hostKeyFile) throw badHostKey(hostKeyFile, 'no such file');
    const pair = generateParseableKeyPair();
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, pair.private, { mode: 0o600 });
    writeFileSync(`${file}.pub`, `${pair.public}\n`);
  }
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

/**
 * Replaces the host key with a new one. The generated key in the data dir is overwritten so the
 * new key survives a restart; a configured key file is the user's, so it is left alone and the
 * new key lives until the simulator stops.
 */
export function rotateHostKey(dataDir: string, hostKeyFile: string | undefined): HostKey {
  const pair = generateParseableKeyPair();
  if (hostKeyFile) return describeKey(pair.private);
  const file = storageLayout.hostKeyFile(dataDir);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, pair.private, { mode: 0o600 });
  writeFileSync(`${file}.pub`, `${pair.public}\n`);
  return loadHostKey(dataDir, undefined);
}

function describeKey(privateKey: string): HostKey {
  const parsed = ssh2.utils.parseKey(privateKey);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error) throw new Error('generated host key is not parseable');
  const blob = key.getPublicSSH();
  const fingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
  return { privateKey, fingerprint, publicKey: `${key.type} ${blob.toString('base64')}` };
}

/** A configured host key that cannot be used is a configuration mistake, reported with the fix. */
function badHostKey(file: string, reason: string): DataSyncError {
  return new DataSyncError('CONFIG_INVALID', {
    source: 'sftp.hostKeyFile',
    problems:
      `${file}: ${reason}. Give an OpenSSH private key without a passphrase ` +
      '(ssh-keygen -t ed25519 -N "" -f FILE), or leave hostKeyFile out to use a key generated in dataDir',
  });
}

/**
 * ssh2's generateKeyPairSync('ed25519') yields a private key its own parseKey rejects as
 * "Malformed OpenSSH private key" about 2 times in 500 (measured); generate again when it does.
 */
export function generateParseableKeyPair(): { private: string; public: string } {
  for (let attempt = 0; attempt < 20; attempt++) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'datasync-sim' });
    if (!(ssh2.utils.parseKey(pair.private) instanceof Error)) return pair;
  }
  throw new Error('could not generate a usable ed25519 host key');
}
