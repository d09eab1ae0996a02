import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes a publishing profile pointing at a simulator, pinned to its host key. */
export function writeProfile(
  dir: string,
  sim: { sftp: { host: string; port: number; hostKeyFingerprint: string } },
  options: {
    symbol?: string;
    collectionId?: string;
    kind?: 'bib' | 'lhr';
    label?: string;
    port?: number;
    fingerprint?: string;
    extra?: string;
  } = {},
): string {
  const file = join(dir, `profile-${options.kind ?? 'bib'}-${options.port ?? sim.sftp.port}.yaml`);
  writeFileSync(
    file,
    `name: test profile
symbol: "${options.symbol ?? 'PUL'}"
collectionId: "${options.collectionId ?? '1012676'}"
kind: ${options.kind ?? 'bib'}
label: ${options.label ?? 'bibs'}
sftp:
  host: ${sim.sftp.host}
  port: ${options.port ?? sim.sftp.port}
  passwordEnv: OCLC_PASSWORD
  hostKey: { fingerprint: "${options.fingerprint ?? sim.sftp.hostKeyFingerprint}" }
  retries: 3
state: ${join(dir, 'state')}
${options.extra ?? ''}`,
  );
  return file;
}
