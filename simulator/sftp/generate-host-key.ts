import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join, relative, isAbsolute } from 'node:path';
import ssh2 from 'ssh2';

/** The host key types OpenSSH 7.4 keeps in /etc/ssh, by the name ssh2 gives their keys. */
export type HostKeyType = 'ssh-rsa' | 'ecdsa-sha2-nistp256' | 'ssh-ed25519';

export interface KeyPair {
  private: string;
  public: string;
}

/** OpenSSH's file names for each type (`ssh_host_rsa_key`, …), so an admin recognises them. */
export const HOST_KEY_FILE_NAMES: Readonly<Record<HostKeyType, string>> = {
  'ssh-rsa': 'ssh_host_rsa_key',
  'ecdsa-sha2-nistp256': 'ssh_host_ecdsa_key',
  'ssh-ed25519': 'ssh_host_ed25519_key',
};

/** ssh-keygen's defaults in OpenSSH 7.4 (RSA 2048, ECDSA P-256), as CentOS 7 generates them. */
const SETTINGS = {
  'ssh-rsa': ['rsa', { bits: 2048, comment: 'datasync-sim' }],
  'ecdsa-sha2-nistp256': ['ecdsa', { bits: 256, comment: 'datasync-sim' }],
  'ssh-ed25519': ['ed25519', { comment: 'datasync-sim' }],
} as const;

/**
 * A new key pair of `type`, generated on this thread: ed25519 and ECDSA take a millisecond or
 * two, RSA 0.1-2 s (hence the cache and the spare below).
 * ssh2's generateKeyPairSync('ed25519') yields a private key its own parseKey rejects as
 * "Malformed OpenSSH private key" about 2 times in 500 (measured); generate again when it does.
 */
export function generateHostKeySync(type: HostKeyType): KeyPair {
  for (let attempt = 0; attempt < 20; attempt++) {
    const [kind, options] = SETTINGS[type];
    const pair = ssh2.utils.generateKeyPairSync(kind, options);
    if (!(ssh2.utils.parseKey(pair.private) instanceof Error)) return pair;
  }
  throw new Error(`could not generate a usable ${type} host key`);
}

/** The same off the event loop (node's thread pool), so serving goes on meanwhile. */
export async function generateHostKey(type: HostKeyType): Promise<KeyPair> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const [kind, options] = SETTINGS[type];
    const pair = await new Promise<KeyPair>((resolve, reject) =>
      ssh2.utils.generateKeyPair(kind, options, (error, generated) =>
        error ? reject(error) : resolve(generated),
      ),
    );
    if (!(ssh2.utils.parseKey(pair.private) instanceof Error)) return pair;
  }
  throw new Error(`could not generate a usable ${type} host key`);
}

const spares = new Map<HostKeyType, Promise<KeyPair>>();
const ready = new Map<HostKeyType, KeyPair>();

/**
 * A fresh key for a rotation without blocking: the spare made in the background after the last
 * rotation, or (the first time in a process) one made now. Another spare is started for next time.
 */
export function takeFreshKey(type: HostKeyType): KeyPair {
  const spare = ready.get(type);
  ready.delete(type);
  if (!spares.has(type)) {
    const next = generateHostKey(type).then((pair) => {
      ready.set(type, pair);
      spares.delete(type);
      return pair;
    });
    // A failed spare only means the next rotation generates on the spot.
    next.catch(() => spares.delete(type));
    spares.set(type, next);
  }
  return spare ?? generateHostKeySync(type);
}

const shared = new Map<HostKeyType, Promise<KeyPair>>();

/**
 * The key a new data dir starts with. For a data dir under the system temp dir (tests, `demo`,
 * scenario runs) it is one key per user and type, kept in the user's cache folder
 * (`$XDG_CACHE_HOME/datasync-sim/host-keys/`, else `~/.cache/datasync-sim/host-keys/`), so RSA
 * generation happens once per machine rather than once per test file (each runs in its own
 * process). Not in the temp dir itself: a command that cleans up after itself must leave the temp
 * dir as it found it. Any other data dir gets a key of its own.
 */
export async function newDataDirKey(dataDir: string, type: HostKeyType): Promise<KeyPair> {
  if (!underTempDir(dataDir)) return generateHostKey(type);
  let pending = shared.get(type);
  if (!pending) {
    pending = sharedTempKey(type);
    shared.set(type, pending);
    pending.catch(() => shared.delete(type));
  }
  return pending;
}

function underTempDir(dataDir: string): boolean {
  const path = relative(tmpdir(), dataDir);
  return path !== '' && !path.startsWith('..') && !isAbsolute(path);
}

async function sharedTempKey(type: HostKeyType): Promise<KeyPair> {
  const dir = hostKeyCacheDir();
  const file = join(dir, HOST_KEY_FILE_NAMES[type]);
  const cached = readPrivateCache(dir, file);
  if (cached) return cached;
  const pair = await generateHostKey(type);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Written whole under another name, then renamed: parallel test processes never read half a key.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, JSON.stringify(pair), { mode: 0o600 });
    renameSync(partial, file);
  } catch {
    // An unwritable temp dir only costs the next process a generation of its own.
  }
  return pair;
}

function hostKeyCacheDir(): string {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'datasync-sim', 'host-keys');
}

/** The cached pair, if the cache folder is ours alone and the pair is usable. */
function readPrivateCache(dir: string, file: string): KeyPair | undefined {
  try {
    const folder = statSync(dir);
    if (folder.uid !== userInfo().uid || (folder.mode & 0o077) !== 0) return undefined;
    const pair = JSON.parse(readFileSync(file, 'utf8')) as KeyPair;
    if (typeof pair.private !== 'string' || typeof pair.public !== 'string') return undefined;
    return ssh2.utils.parseKey(pair.private) instanceof Error ? undefined : pair;
  } catch {
    return undefined;
  }
}
