/** SFTP v3 ATTRS: every field optional, present when its flag is set. */
export interface SftpAttributes {
  size?: number;
  uid?: number;
  gid?: number;
  permissions?: number;
  atime?: number;
  mtime?: number;
}
