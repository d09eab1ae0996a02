/** SFTP v3 (draft-ietf-secsh-filexfer-02) packet types, as the draft spells them. */
export const PACKET = {
  INIT: 1,
  VERSION: 2,
  OPEN: 3,
  CLOSE: 4,
  READ: 5,
  WRITE: 6,
  LSTAT: 7,
  FSTAT: 8,
  SETSTAT: 9,
  FSETSTAT: 10,
  OPENDIR: 11,
  READDIR: 12,
  REMOVE: 13,
  MKDIR: 14,
  RMDIR: 15,
  REALPATH: 16,
  STAT: 17,
  RENAME: 18,
  READLINK: 19,
  SYMLINK: 20,
  STATUS: 101,
  HANDLE: 102,
  DATA: 103,
  NAME: 104,
  ATTRS: 105,
  EXTENDED: 200,
  EXTENDED_REPLY: 201,
} as const;

export const STATUS_CODE = {
  OK: 0,
  EOF: 1,
  NO_SUCH_FILE: 2,
  PERMISSION_DENIED: 3,
  FAILURE: 4,
  BAD_MESSAGE: 5,
  NO_CONNECTION: 6,
  CONNECTION_LOST: 7,
  OP_UNSUPPORTED: 8,
} as const;

export type StatusName = keyof typeof STATUS_CODE;

export const ATTR_FLAG = {
  SIZE: 0x1,
  UIDGID: 0x2,
  PERMISSIONS: 0x4,
  ACMODTIME: 0x8,
  EXTENDED: 0x80000000,
} as const;

export const OPEN_FLAG = {
  READ: 0x1,
  WRITE: 0x2,
  APPEND: 0x4,
  CREAT: 0x8,
  TRUNC: 0x10,
  EXCL: 0x20,
} as const;

/**
 * OpenSSH refuses longer packets (SFTP_MAX_MSG_LENGTH, 256 KiB after the length field), in the
 * server and in the `sftp` client alike.
 */
export const MAX_PACKET_LENGTH = 256 * 1024;
/**
 * A READ is shortened to this, as OpenSSH's sftp-server does: a DATA reply of 256 KiB of data
 * plus its 9-byte header is over the client's limit (`sftp -B 262144 get` fails with "Received
 * message too long 262153"), so a client asking for more gets a short read, never a huge buffer.
 */
export const MAX_READ_LENGTH = 255 * 1024;
