import type { SftpPersonalityName } from '../../config/personality-names.ts';

export interface SftpPersonality {
  name: SftpPersonalityName;
  /** The SSH identification string after `SSH-2.0-`. */
  ident: string;
  /** Extensions in the VERSION reply, in OpenSSH's order, with their version strings. */
  extensions: readonly (readonly [string, string])[];
}

// sftp-server.c in OpenSSH 7.4 (CentOS 7, OCLC's exchange) sends exactly these, in this order.
const OPENSSH_74_EXTENSIONS = [
  ['posix-rename@openssh.com', '1'],
  ['statvfs@openssh.com', '2'],
  ['fstatvfs@openssh.com', '2'],
  ['hardlink@openssh.com', '1'],
  ['fsync@openssh.com', '1'],
] as const;

export const PERSONALITIES: Readonly<Record<SftpPersonalityName, SftpPersonality>> = {
  'openssh-7.4': { name: 'openssh-7.4', ident: 'OpenSSH_7.4', extensions: OPENSSH_74_EXTENSIONS },
  // OCLC's SFTP behind a current SSH layer (ssh-personality.ts): only the SSH side differs.
  modern: { name: 'modern', ident: 'OpenSSH_7.4', extensions: OPENSSH_74_EXTENSIONS },
  'plain-v3': { name: 'plain-v3', ident: 'OpenSSH_7.4 datasync-sim', extensions: [] },
};
