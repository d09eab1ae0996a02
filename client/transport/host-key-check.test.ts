import { createHmac, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.ts';
import { checkHostKey, fingerprintOf } from './host-key-check.ts';

const key = Buffer.from('a host key blob');
const other = Buffer.from('another key blob');

describe('checkHostKey', () => {
  it('accepts the pinned fingerprint only', () => {
    expect(checkHostKey({ fingerprint: fingerprintOf(key) }, 'h', 22, key)).toEqual({ ok: true });
    expect(checkHostKey({ fingerprint: fingerprintOf(key) }, 'h', 22, other)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('does not match'),
    });
  });

  it('reads known_hosts: plain and hashed names, [host]:port, unknown and changed keys', () => {
    using dir = tempDir();
    const file = join(dir.path, 'known_hosts');
    const salt = randomBytes(20);
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[10.0.0.5]:2222').digest('base64')}`;
    writeFileSync(
      file,
      `# comment\nfilex-m1.oclc.org ssh-ed25519 ${key.toString('base64')}\n${hashed} ssh-ed25519 ${key.toString('base64')}\n`,
    );
    expect(checkHostKey({ knownHosts: file }, 'filex-m1.oclc.org', 22, key)).toEqual({ ok: true });
    expect(checkHostKey({ knownHosts: file }, '10.0.0.5', 2222, key)).toEqual({ ok: true });
    expect(checkHostKey({ knownHosts: file }, 'filex-m1.oclc.org', 22, other)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('has CHANGED'),
    });
    expect(checkHostKey({ knownHosts: file }, '127.0.0.1', 2222, key)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('is unknown'),
    });
  });
});
