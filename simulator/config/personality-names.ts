/**
 * How the SFTP server presents itself (`sftp.personality`): OCLC's exchange (OpenSSH 7.4, its host
 * keys and algorithm lists), the same SFTP with only modern SSH algorithms, or a bare SFTP v3
 * server. The config owns the names; simulator/sftp/ owns what each one sends.
 */
export const PERSONALITY_NAMES = ['openssh-7.4', 'modern', 'plain-v3'] as const;

export type SftpPersonalityName = (typeof PERSONALITY_NAMES)[number];
