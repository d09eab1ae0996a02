import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The Debian package that provides each tool the interop tests drive. */
export const TOOL_PACKAGES: Readonly<Record<string, { check: () => boolean; pkg: string }>> = {
  sftp: { check: () => onPath('sftp'), pkg: 'openssh-client' },
  'ssh-keygen': { check: () => onPath('ssh-keygen'), pkg: 'openssh-client' },
  sshd: { check: () => existsSync('/usr/sbin/sshd'), pkg: 'openssh-server' },
  sshpass: { check: () => onPath('sshpass'), pkg: 'sshpass' },
  lftp: { check: () => onPath('lftp'), pkg: 'lftp' },
  'yaz-marcdump': { check: () => onPath('yaz-marcdump'), pkg: 'yaz' },
  curl: { check: () => onPath('curl'), pkg: 'curl' },
  chromium: { check: () => existsSync('/usr/bin/chromium'), pkg: 'chromium' },
  'marc-examples': {
    check: () =>
      existsSync('/usr/share/doc/idzebra-2.0/examples/marc21/sample-marc.gz') &&
      existsSync('/usr/share/doc/libmarc-perl/examples/microlif.001'),
    pkg: 'idzebra-2.0-examples libmarc-perl',
  },
  rclone: { check: () => onPath('rclone'), pkg: 'rclone' },
  psftp: { check: () => onPath('psftp'), pkg: 'putty-tools' },
  puttygen: { check: () => onPath('puttygen'), pkg: 'putty-tools' },
  java: { check: () => onPath('java'), pkg: 'default-jdk-headless' },
  jsch: { check: () => existsSync('/usr/share/java/jsch.jar'), pkg: 'libjsch-java' },
  paramiko: {
    check: () => spawnSync('/usr/bin/python3', ['-c', 'import paramiko'], { stdio: 'ignore' }).status === 0,
    pkg: 'python3-paramiko',
  },
};

/**
 * Throws (so the test fails, never skips) when a system tool is missing, naming the install line.
 * `npm test` installs them first when run as root (test/support/ensure-system-packages.js).
 */
export function requireTools(...tools: (keyof typeof TOOL_PACKAGES)[]): void {
  const missing = tools.filter((tool) => !TOOL_PACKAGES[tool]?.check());
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((tool) => TOOL_PACKAGES[tool]?.pkg))].join(' ');
  throw new Error(`missing system tool(s) ${missing.join(', ')}: run  apt-get install -y ${pkgs}`);
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}
