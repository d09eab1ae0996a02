import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataSyncError } from '../oclc/error-catalogue.ts';
import { tempDir } from '../test/support/temp-dir.ts';
import { parseProfile } from './profile.ts';

const GOOD = `name: PUL bib sync
symbol: PUL
collectionId: "1012676"
kind: bib
label: bibs
sftp:
  host: 127.0.0.1
  port: 2222
  passwordEnv: OCLC_PASSWORD
  hostKey: { fingerprint: "SHA256:tN14afLAeaBgMkIJzo4NLZQdZ6vOwcYakMtsPEzwqdU" }
limits: { maxFileSize: 100MB, maxRecordsPerFile: 50000 }
state: .datasync-client
`;

function problems(text: string, env = {}): string {
  try {
    parseProfile(text, 'p.yaml', { env, baseDir: '/srv' });
  } catch (error) {
    if (error instanceof DataSyncError) return error.message;
    throw error;
  }
  throw new Error('accepted');
}

describe('parseProfile', () => {
  it('reads the pinned keys and fills defaults from the kind and symbol', () => {
    const profile = parseProfile(GOOD, 'p.yaml', { env: { OCLC_PASSWORD: 's3cret' }, baseDir: '/srv' });
    expect(profile).toMatchObject({
      symbol: 'PUL',
      encodedSymbol: 'pul',
      collectionId: '1012676',
      kind: 'bib',
      sftp: {
        host: '127.0.0.1',
        port: 2222,
        subDirectory: 'metacoll/in/bib',
        user: 'fx_pul',
        auth: { password: 's3cret' },
      },
      limits: { maxFileSize: 100_000_000, maxRecordsPerFile: 50_000 },
      stateDir: '/srv/.datasync-client',
    });
    const lhr = parseProfile(
      GOOD.replace('kind: bib', 'kind: lhr').replace('symbol: PUL', 'symbol: "AB@"'),
      'p.yaml',
      { env: { OCLC_PASSWORD: 'x' } },
    );
    expect(lhr.sftp).toMatchObject({ subDirectory: 'metacoll/in/lhr', user: 'fx_ab_64' });
    expect(lhr.encodedSymbol).toBe('ab_64');
  });

  it('reports unknown keys and bad values all at once, with line numbers', () => {
    const message = problems(
      GOOD.replace('kind: bib', 'kind: books')
        .replace('collectionId: "1012676"', 'collectionId: 1012676')
        .replace('label: bibs', 'label: my bibs\ncolour: red')
        .replace('maxFileSize: 100MB', 'maxFileSize: lots'),
    );
    expect(message).toMatch(/line 3: collectionId: quote the collection ID/);
    expect(message).toMatch(/line 4: kind: /);
    expect(message).toMatch(/line 5: label: a label has letters/);
    expect(message).toMatch(/line 6: colour: unknown key; the keys here are name, symbol, /);
    expect(message).toMatch(/limits\.maxFileSize: "lots" is not a size/);
  });

  it('never takes a password in the profile and needs host key pinning', () => {
    const message = problems(
      GOOD.replace('passwordEnv: OCLC_PASSWORD', 'password: hunter2').replace(/ {2}hostKey: .*\n/, ''),
    );
    expect(message).toContain('passwords are never written in a profile');
    expect(message).toContain('hostKey is required');
  });

  it('says which environment variable is missing, and reads passwordFile', () => {
    expect(problems(GOOD)).toContain('sftp.passwordEnv: OCLC_PASSWORD is not set in the environment');
    using dir = tempDir();
    writeFileSync(join(dir.path, 'pw'), 'from-file\n');
    const profile = parseProfile(GOOD.replace('passwordEnv: OCLC_PASSWORD', 'passwordFile: pw'), 'p.yaml', {
      baseDir: dir.path,
    });
    expect(profile.sftp.auth).toEqual({ password: 'from-file' });
  });
});
