#!/usr/bin/env node
// Runs before `npm test`: the interop tests drive real Debian tools and read real MARC records
// from Debian's example packages. As root, install what is
// missing; otherwise fail with the exact line to run, so no test silently skips.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const PACKAGES = [
  // The dashboard's browser tests drive Debian's Chromium through playwright-core (no browser download).
  { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium') },
  { pkg: 'openssh-client', present: () => onPath('sftp') && onPath('ssh-keygen') },
  { pkg: 'openssh-server', present: () => existsSync('/usr/sbin/sshd') },
  { pkg: 'sshpass', present: () => onPath('sshpass') },
  // GNU time: bench:publish reads the client's peak RSS from it.
  { pkg: 'time', present: () => existsSync('/usr/bin/time') },
  // The PostgreSQL store's tests start a throwaway server with Debian's initdb and pg_ctl.
  {
    pkg: 'postgresql',
    present: () => existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').length > 0,
  },
  { pkg: 'lftp', present: () => onPath('lftp') },
  { pkg: 'curl', present: () => onPath('curl') },
  { pkg: 'yaz', present: () => onPath('yaz-marcdump') },
  { pkg: 'rclone', present: () => onPath('rclone') },
  { pkg: 'putty-tools', present: () => onPath('psftp') && onPath('puttygen') },
  {
    pkg: 'idzebra-2.0-examples',
    present: () => existsSync('/usr/share/doc/idzebra-2.0/examples/marc21/sample-marc.gz'),
  },
  { pkg: 'libmarc-perl', present: () => existsSync('/usr/share/doc/libmarc-perl/examples/microlif.001') },
  // The Java client of the interop matrix: JSch (what most Java exporters embed) on Debian's JDK.
  { pkg: 'default-jdk-headless', present: () => onPath('java') },
  { pkg: 'libjsch-java', present: () => existsSync('/usr/share/java/jsch.jar') },
  {
    pkg: 'python3-paramiko',
    present: () => spawnSync('/usr/bin/python3', ['-c', 'import paramiko'], { stdio: 'ignore' }).status === 0,
  },
];

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

const missing = PACKAGES.filter((p) => !p.present()).map((p) => p.pkg);
if (missing.length === 0) process.exit(0);

const line = `apt-get install -y ${missing.join(' ')}`;
if (process.getuid?.() !== 0) {
  console.error(`The tests need Debian packages that are missing. Run as root:\n  apt-get update && ${line}`);
  process.exit(1);
}
console.log(`installing test tools: ${missing.join(' ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [
  ['update', '-qq'],
  ['install', '-y', '-qq', '--no-install-recommends', ...missing],
]) {
  const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`apt-get ${args.join(' ')} failed (exit ${result.status}). Run it by hand:\n  ${line}`);
    process.exit(1);
  }
}
