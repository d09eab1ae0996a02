import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

export type HostKeyPolicy = { fingerprint: string } | { knownHosts: string } | { acceptAny: true };

/** `SHA256:…` as `ssh-keygen -l` prints it, from the raw public key blob. */
export function fingerprintOf(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Decides whether to trust a server's host key: a pinned fingerprint, or an OpenSSH known_hosts
 * file (plain or hashed host names, `[host]:port` for other ports). Unknown or changed keys are
 * refused by default; only `acceptAny` trusts blindly.
 */
export function checkHostKey(
  policy: HostKeyPolicy,
  host: string,
  port: number,
  key: Buffer,
): { ok: true } | { ok: false; reason: string } {
  if ('acceptAny' in policy) return { ok: true };
  if ('fingerprint' in policy) {
    return fingerprintOf(key) === policy.fingerprint
      ? { ok: true }
      : { ok: false, reason: `does not match the pinned ${policy.fingerprint}` };
  }
  let text: string;
  try {
    text = readFileSync(policy.knownHosts, 'utf8');
  } catch (error) {
    return {
      ok: false,
      reason: `cannot be checked: ${policy.knownHosts} is unreadable (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  const name = port === 22 ? host : `[${host}]:${port}`;
  const blob = key.toString('base64');
  let known = false;
  for (const line of text.split('\n')) {
    const [hosts = '', , keyData = ''] = line.trim().split(/\s+/);
    if (!hosts || hosts.startsWith('#') || !matchesHost(hosts, name)) continue;
    known = true;
    if (keyData === blob) return { ok: true };
  }
  return {
    ok: false,
    reason: known
      ? `has CHANGED: ${policy.knownHosts} lists another key for ${name}`
      : `is unknown: ${name} is not in ${policy.knownHosts}`,
  };
}

function matchesHost(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt = '', hash = ''] = field.split('|');
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  return field.split(',').includes(name);
}
