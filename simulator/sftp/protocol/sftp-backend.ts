import type { SftpAttributes } from './sftp-attributes.ts';

/** What a file or folder looks like to the protocol layer (mode includes the file-type bits). */
export interface BackendAttributes {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  atime: number;
  mtime: number;
}

export interface BackendEntry {
  filename: string;
  longname: string;
  attrs: BackendAttributes;
}

export interface BackendOpenFlags {
  read: boolean;
  write: boolean;
  append: boolean;
  create: boolean;
  truncate: boolean;
  exclusive: boolean;
}

/** statvfs(3) figures, in bytes and file counts. */
export interface SpaceFigures {
  blockSize: number;
  totalBlocks: number;
  freeBlocks: number;
  availableBlocks: number;
  totalFiles: number;
  freeFiles: number;
  nameMax: number;
}

/**
 * The SFTP operations of one session, as the packet layer calls them. Handles are numbers; every
 * method returns a value or throws a catalogued DataSyncError. One implementation serves every
 * protocol personality.
 */
export interface SftpBackend {
  realpath(path: string): string;
  stat(path: string): BackendAttributes;
  fstat(handle: number): BackendAttributes;
  opendir(path: string): number;
  /** The next batch of entries, or undefined at the end. */
  readdir(handle: number): BackendEntry[] | undefined;
  open(path: string, flags: BackendOpenFlags): number;
  /** The bytes read, or undefined at end of file. */
  read(handle: number, offset: number, length: number): Buffer | undefined;
  write(handle: number, offset: number, data: Buffer): void;
  /** A WRITE on the handle was answered with a failure before reaching it (a fault rule). */
  writeFailed(handle: number, offset: number, reason: string): void;
  close(handle: number): Promise<void>;
  /** `overwrite` is posix-rename@openssh.com: an existing target is replaced. */
  rename(from: string, to: string, options?: { overwrite: boolean }): Promise<void>;
  remove(path: string): void;
  setstat(path: string, attrs: SftpAttributes): void;
  fsetstat(handle: number, attrs: SftpAttributes): void;
  mkdir(path: string): void;
  rmdir(path: string): void;
  statvfs(path: string): SpaceFigures;
  fstatvfs(handle: number): SpaceFigures;
  fsync(handle: number): void;
  hardlink(from: string, to: string): void;
  /** The canonical form of a client path (relative paths start at the home folder). */
  canonical(path: string): string;
  /** The canonical path an open handle refers to, for the journal and fault rules. */
  handlePath(handle: number): string | undefined;
  /** The connection ended. */
  end(): void;
}
