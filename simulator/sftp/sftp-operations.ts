import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  futimesSync,
  statfsSync,
  truncateSync,
  utimesSync,
  openSync,
  readSync,
  readdirSync,
  statSync,
  unlinkSync,
  renameSync,
  type Stats,
} from 'node:fs';
import { join, posix } from 'node:path';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import { NAME_MAX } from '../../oclc/reports/report-name-limit.ts';
import { isTemporaryUploadName } from '../../oclc/upload-name.ts';
import type { UploadRecord } from '../storage/upload-store.ts';
import type { AccountTree, Folder, UploadTarget } from '../storage/account-tree.ts';
import type { OpenUpload } from '../intake/open-upload.ts';
import type { UploadIntake } from '../intake/upload-intake.ts';
import type { SessionHandles } from './handle-budget.ts';
import type { SftpAttributes } from './protocol/sftp-attributes.ts';
import type {
  BackendAttributes as FileAttributes,
  BackendEntry as DirectoryEntry,
  BackendOpenFlags as OpenFlags,
  SftpBackend,
  SpaceFigures,
} from './protocol/sftp-backend.ts';

type UploadFolder = Folder & { upload: UploadTarget; realPath: string };

interface FileHandle {
  type: 'file';
  fd: number;
  path: string;
  realPath: string;
  writable: boolean;
  append: boolean;
  /** Set for a file open for writing: the intake owns its bytes, failures and record. */
  upload: OpenUpload | undefined;
}

interface DirectoryHandle {
  type: 'directory';
  path: string;
  entries: DirectoryEntry[];
  position: number;
}

const READDIR_BATCH = 64;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;

/**
 * The SFTP operations of one session, implemented once against the account's tree. Every method
 * either returns a value or throws a catalogued DataSyncError; the protocol adapter maps both.
 */
export class SftpOperations implements SftpBackend {
  readonly #tree: AccountTree;
  readonly #intake: UploadIntake;
  readonly #account: string;
  readonly #handles = new Map<number, FileHandle | DirectoryHandle>();
  /** Temporary-named files this session wrote; those not renamed when it ends are abandoned. */
  readonly #temporaries = new Set<string>();
  #nextHandle = 1;

  readonly #budget: SessionHandles;

  constructor(deps: { tree: AccountTree; intake: UploadIntake; account: string; handles: SessionHandles }) {
    this.#budget = deps.handles;
    this.#tree = deps.tree;
    this.#intake = deps.intake;
    this.#account = deps.account;
  }

  realpath(clientPath: string): string {
    const path = this.#tree.resolve(clientPath, 'resolve');
    this.#attributesOf(path, 'resolve');
    return path;
  }

  stat(clientPath: string): FileAttributes {
    const path = this.#tree.resolve(clientPath, 'stat');
    const accepted = this.#justPickedUp(path);
    if (accepted) {
      this.#intake.probed(
        accepted,
        'stat',
        `answered with the size and time of the accepted upload: ${PICKED_UP}`,
      );
      return acceptedAttributes(accepted);
    }
    return this.#attributesOf(path, 'stat');
  }

  fstat(handle: number): FileAttributes {
    const h = this.#handle(handle, 'fstat');
    if (h.type === 'directory')
      return folderAttributes(this.#folderOrThrow(h.path, 'fstat'), this.#tree.root);
    return fileAttributes(h.upload ? h.upload.stat() : fstatSync(h.fd), h.writable);
  }

  opendir(clientPath: string): number {
    // Before any descriptor is taken, so a refused OPEN costs none.
    this.#budget.check(this.#handles.size);
    const path = this.#tree.resolve(clientPath, 'list');
    const folder = this.#tree.folder(path);
    if (!folder) {
      if (this.#fileStats(path))
        throw new DataSyncError('PATH_INVALID', {
          action: 'list',
          path,
          reason: 'it is a file, not a folder',
        });
      throw new DataSyncError('PATH_NOT_FOUND', { action: 'list', path });
    }
    return this.#addHandle({ type: 'directory', path, entries: this.#entriesOf(folder), position: 0 });
  }

  /** Returns the next batch of entries, or undefined at the end (the adapter sends EOF). */
  readdir(handle: number): DirectoryEntry[] | undefined {
    const h = this.#handle(handle, 'list');
    if (h.type !== 'directory') throw new DataSyncError('HANDLE_INVALID', { action: 'list' });
    if (h.position >= h.entries.length) return undefined;
    const batch = h.entries.slice(h.position, h.position + READDIR_BATCH);
    h.position += batch.length;
    return batch;
  }

  open(clientPath: string, flags: OpenFlags): number {
    // Before any descriptor is taken, so a refused OPEN costs none.
    this.#budget.check(this.#handles.size);
    const action = flags.write ? 'upload' : 'download';
    const path = this.#tree.resolve(clientPath, action);
    if (this.#tree.folder(path)) throw new DataSyncError('IS_A_DIRECTORY', { action, path });
    const { folder, name } = this.#tree.locate(path);
    if (!folder) throw new DataSyncError('PATH_NOT_FOUND', { action, path });
    if (!folder.realPath) {
      throw new DataSyncError(flags.write ? 'PATH_READ_ONLY' : 'PATH_NOT_FOUND', { action, path });
    }
    const realPath = join(folder.realPath, name);
    if (!flags.write) {
      if (!existsSync(realPath)) throw this.#notFound(folder, name, action, path);
      return this.#addHandle({
        type: 'file',
        fd: openSync(realPath, 'r'),
        path,
        realPath,
        writable: false,
        append: false,
        upload: undefined,
      });
    }
    const target = this.#uploadFolder(folder, action, path);
    const exists = existsSync(realPath);
    if (exists && flags.exclusive && flags.create) {
      throw new DataSyncError('FILE_EXISTS', { action, path, hint: 'Upload under a new name.' });
    }
    // A new upload of a name whose file waits for pickup is accepted (OCLC's same-name rule);
    // continuing that received file is not.
    if (exists && !flags.truncate && this.#intake.pendingAt(realPath) !== undefined) {
      throw new DataSyncError('FILE_PENDING_PICKUP', { action, path });
    }
    if (!exists && !flags.truncate) {
      // Continuing a file that was accepted and picked up: there is nothing left to continue.
      const accepted = this.#justPickedUp(path);
      if (accepted) throw this.#probedError(accepted, 'resume', path);
    }
    if (!exists && !flags.create) throw new DataSyncError('PATH_NOT_FOUND', { action, path });
    const length = Buffer.byteLength(name);
    // No file system takes it: refused before the name rules, and nothing is recorded.
    if (length > NAME_MAX) throw new DataSyncError('NAME_TOO_LONG', { action, path, length, max: NAME_MAX });
    const ctx = this.#context(target);
    const decision = isTemporaryUploadName(name) ? undefined : this.#intake.decide(target.upload, name);
    if (decision && !decision.accepted) throw this.#intake.refuse(ctx, name, decision);
    if (!decision) {
      this.#intake.temporary(ctx, name, realPath);
      this.#temporaries.add(realPath);
    }
    const upload = this.#intake.open({
      ctx,
      path,
      realPath,
      name,
      mode: nodeOpenMode(flags, exists),
      decision,
    });
    return this.#addHandle({
      type: 'file',
      fd: upload.fd,
      path,
      realPath,
      writable: true,
      append: flags.append,
      upload,
    });
  }

  /** Returns the bytes read, or undefined at end of file (the adapter sends EOF). */
  read(handle: number, offset: number, length: number): Buffer | undefined {
    const h = this.#fileHandle(handle, 'read');
    const buffer = Buffer.alloc(length);
    const bytes = readSync(h.upload ? h.upload.fd : h.fd, buffer, 0, length, offset);
    return bytes === 0 ? undefined : buffer.subarray(0, bytes);
  }

  /** Writes at the explicit offset: pipelined clients send WRITEs out of order. */
  write(handle: number, offset: number, data: Buffer): void {
    const h = this.#fileHandle(handle, 'write');
    if (!h.upload) throw new DataSyncError('PATH_READ_ONLY', { action: 'write', path: h.path });
    h.upload.write(offset, data, h.append);
  }

  writeFailed(handle: number, offset: number, reason: string): void {
    const h = this.#handles.get(handle);
    if (h?.type === 'file') h.upload?.writeFailed(offset, reason);
  }

  async close(handle: number): Promise<void> {
    const h = this.#handle(handle, 'close');
    this.#handles.delete(handle);
    this.#budget.closed();
    if (h.type === 'directory') return;
    if (h.upload) await h.upload.close();
    else closeSync(h.fd);
  }

  async rename(
    fromClientPath: string,
    toClientPath: string,
    options: { overwrite: boolean } = { overwrite: false },
  ): Promise<void> {
    const from = this.#tree.resolve(fromClientPath, 'rename');
    const to = this.#tree.resolve(toClientPath, 'rename');
    const source = this.#tree.locate(from);
    const target = this.#tree.locate(to);
    if (!source.folder?.realPath || !existsSync(join(source.folder.realPath, source.name))) {
      throw new DataSyncError('PATH_NOT_FOUND', { action: 'rename', path: from });
    }
    if (!target.folder?.realPath) throw new DataSyncError('PATH_NOT_FOUND', { action: 'rename', path: to });
    const length = Buffer.byteLength(target.name);
    if (length > NAME_MAX)
      throw new DataSyncError('NAME_TOO_LONG', { action: 'rename', path: to, length, max: NAME_MAX });
    this.#uploadFolder(source.folder, 'rename', from);
    const destination = this.#uploadFolder(target.folder, 'rename', to);
    const realFrom = join(source.folder.realPath, source.name);
    const realTo = join(target.folder.realPath, target.name);
    if (this.#intake.pendingAt(realFrom) !== undefined)
      throw new DataSyncError('FILE_PENDING_PICKUP', { action: 'rename', path: from });
    if (existsSync(realTo) && !options.overwrite) {
      // SFTP v3 RENAME must fail when the target exists; posix-rename@openssh.com replaces it.
      throw new DataSyncError('FILE_EXISTS', {
        action: 'rename',
        path: to,
        hint: 'Remove it first or pick another name.',
      });
    }
    const forget = (): void => {
      this.#intake.forgetTemporary(realFrom);
      this.#temporaries.delete(realFrom);
    };
    if (isTemporaryUploadName(target.name)) {
      renameSync(realFrom, realTo);
      forget();
      this.#intake.temporary(this.#context(destination), target.name, realTo);
      this.#temporaries.add(realTo);
      return;
    }
    const ctx = this.#context(destination);
    const decision = this.#intake.decide(destination.upload, target.name);
    if (!decision.accepted) throw this.#intake.refuse(ctx, target.name, decision, source.name);
    forget();
    const upload = this.#intake.begin(ctx, target.name, decision, source.name);
    const written = this.#intake.takeWritten(realFrom);
    this.#intake.replaceWaiting(realTo, upload.id);
    renameSync(realFrom, realTo);
    await this.#intake.complete(upload.id, realTo, written);
  }

  remove(clientPath: string): void {
    const path = this.#tree.resolve(clientPath, 'remove');
    if (this.#tree.folder(path)) throw new DataSyncError('IS_A_DIRECTORY', { action: 'remove', path });
    const { folder, name } = this.#tree.locate(path);
    if (!folder?.realPath || !existsSync(join(folder.realPath, name))) {
      throw new DataSyncError('PATH_NOT_FOUND', { action: 'remove', path });
    }
    this.#uploadFolder(folder, 'remove', path);
    const realPath = join(folder.realPath, name);
    const pending = this.#intake.pendingAt(realPath);
    unlinkSync(realPath);
    this.#intake.forgetTemporary(realPath);
    this.#temporaries.delete(realPath);
    if (pending !== undefined) this.#intake.withdraw(pending);
  }

  /**
   * Applies what a file on OCLC's exchange really lets its owner change (size and times of a file
   * in an upload folder) and refuses the rest, so a client never believes a change that did not
   * happen. Asking for the value a file already has is not a change.
   */
  setstat(clientPath: string, attrs: SftpAttributes = {}): void {
    const path = this.#tree.resolve(clientPath, 'set attributes');
    const folder = this.#tree.folder(path);
    if (folder) {
      this.#checkFixedAttributes(path, attrs, folderAttributes(folder, this.#tree.root));
      if (attrs.size !== undefined || attrs.mtime !== undefined)
        throw new DataSyncError('ATTRIBUTES_FIXED', {
          path,
          reason: 'the OCLC folder tree is fixed; its folders cannot be changed',
        });
      return;
    }
    const accepted = this.#justPickedUp(path);
    if (accepted) {
      this.#setstatPickedUp(path, attrs, accepted);
      return;
    }
    const current = this.stat(clientPath);
    this.#checkFixedAttributes(path, attrs, current);
    if (attrs.size === undefined && attrs.mtime === undefined) return;
    const { folder: parent, name } = this.#tree.locate(path);
    if (!parent?.upload || !parent.realPath)
      throw new DataSyncError('PATH_READ_ONLY', { action: 'set attributes of', path });
    const realPath = join(parent.realPath, name);
    if (attrs.size !== undefined && attrs.size !== current.size) {
      if (this.#intake.pendingAt(realPath) !== undefined)
        throw new DataSyncError('FILE_PENDING_PICKUP', { action: 'truncate', path });
      truncateSync(realPath, attrs.size);
    }
    if (attrs.mtime !== undefined) utimesSync(realPath, attrs.atime ?? attrs.mtime, attrs.mtime);
  }

  fsetstat(handle: number, attrs: SftpAttributes = {}): void {
    const h = this.#handle(handle, 'set attributes');
    if (h.type === 'directory') {
      this.setstat(h.path, attrs);
      return;
    }
    const current = fileAttributes(fstatSync(h.fd), Boolean(this.#tree.locate(h.path).folder?.upload));
    this.#checkFixedAttributes(h.path, attrs, current);
    if (attrs.size === undefined && attrs.mtime === undefined) return;
    if (!h.writable) throw new DataSyncError('PATH_READ_ONLY', { action: 'set attributes of', path: h.path });
    if (attrs.size !== undefined && attrs.size !== current.size) {
      ftruncateSync(h.fd, attrs.size);
      h.upload?.resized(attrs.size);
    }
    if (attrs.mtime !== undefined) futimesSync(h.fd, attrs.atime ?? attrs.mtime, attrs.mtime);
  }

  /** The free space of the file system holding the account's files. */
  statvfs(clientPath: string): SpaceFigures {
    const path = this.#tree.resolve(clientPath, 'report free space for');
    this.#attributesOf(path, 'report free space for');
    return this.#space();
  }

  fstatvfs(handle: number): SpaceFigures {
    this.#handle(handle, 'report free space');
    return this.#space();
  }

  /** The disk's figures, or the institution's quota and what is left of it when it has one. */
  #space(): SpaceFigures {
    const disk = spaceOf(this.#tree.root);
    const { used, quota } = this.#intake.space(this.#tree.institution.symbol);
    if (quota === undefined) return disk;
    const blocks = (bytes: number): number => Math.floor(bytes / disk.blockSize);
    const free = Math.min(blocks(Math.max(0, quota - used)), disk.availableBlocks);
    return { ...disk, totalBlocks: blocks(quota), freeBlocks: free, availableBlocks: free };
  }

  /** Honoured: the bytes written so far reach the disk before the reply. */
  fsync(handle: number): void {
    const h = this.#fileHandle(handle, 'fsync');
    fsyncSync(h.fd);
  }

  hardlink(_fromClientPath: string, toClientPath: string): never {
    throw new DataSyncError('LINK_REFUSED', { path: this.#tree.resolve(toClientPath, 'link') });
  }

  canonical(clientPath: string): string {
    try {
      return this.#tree.resolve(clientPath, 'resolve');
    } catch {
      return clientPath;
    }
  }

  handlePath(handle: number): string | undefined {
    return this.#handles.get(handle)?.path;
  }

  mkdir(clientPath: string): never {
    throw new DataSyncError('FOLDERS_FIXED', {
      action: 'create folder',
      path: this.#tree.resolve(clientPath, 'create folder'),
    });
  }

  rmdir(clientPath: string): never {
    throw new DataSyncError('FOLDERS_FIXED', {
      action: 'remove folder',
      path: this.#tree.resolve(clientPath, 'remove folder'),
    });
  }

  /** The connection ended: open uploads that never reached CLOSE are incomplete and never queued. */
  end(): void {
    for (const h of this.#handles.values()) {
      if (h.type !== 'file') continue;
      if (h.upload) h.upload.abandon('the connection ended before the file was closed');
      else closeSync(h.fd);
    }
    this.#budget.closed(this.#handles.size);
    this.#handles.clear();
    for (const realPath of this.#temporaries) {
      if (!existsSync(realPath)) continue;
      this.#intake.abandonTemporary(realPath);
      // Removed once the pickup delay has passed, unless a client opens it again first.
      this.#intake.leaveTemporary(realPath, { account: this.#account, name: posix.basename(realPath) });
    }
    this.#temporaries.clear();
  }

  #context(folder: UploadFolder) {
    return { account: this.#account, senderSymbol: this.#tree.institution.symbol, folder };
  }

  #uploadFolder(folder: Folder, action: string, path: string): UploadFolder {
    if (!folder.upload || !folder.realPath) throw new DataSyncError('PATH_READ_ONLY', { action, path });
    return folder as UploadFolder;
  }

  /**
   * rclone sets the time of the file it just uploaded: on OCLC's exchange the file would still be
   * there and take it, so times (and the mode and size it has) are answered OK without changing
   * anything; a different mode or size is refused, since the accepted file cannot change.
   */
  #setstatPickedUp(path: string, attrs: SftpAttributes, accepted: UploadRecord): void {
    const current = acceptedAttributes(accepted);
    try {
      this.#checkFixedAttributes(path, attrs, current);
    } catch (error) {
      this.#intake.probed(accepted, 'setstat', `refused: ${(error as Error).message}`);
      throw error;
    }
    if (attrs.size !== undefined && attrs.size !== current.size)
      throw this.#probedError(accepted, 'truncate', path);
    this.#intake.probed(accepted, 'setstat', `answered OK without changing anything: ${PICKED_UP}`);
  }

  /** A final name that is absent because its upload was picked up within the grace window. */
  #justPickedUp(path: string): UploadRecord | undefined {
    const { folder, name } = this.#tree.locate(path);
    if (!folder?.upload || !folder.realPath || name === '' || this.#tree.folder(path)) return undefined;
    if (existsSync(join(folder.realPath, name))) return undefined;
    const record = this.#intake.absence(this.#tree.institution.symbol, folder.path, name);
    return record && this.#intake.justPickedUp(record) ? record : undefined;
  }

  #probedError(record: UploadRecord, action: string, path: string): DataSyncError {
    const error = absenceError(record, action, path);
    this.#intake.probed(record, action, error.message);
    return error;
  }

  /** Permissions and ownership are fixed; asking for a different value is refused. */
  #checkFixedAttributes(path: string, attrs: SftpAttributes, current: FileAttributes): void {
    if (attrs.permissions !== undefined && (attrs.permissions & 0o7777) !== (current.mode & 0o7777)) {
      throw new DataSyncError('ATTRIBUTES_FIXED', {
        path,
        reason: `its mode stays ${(current.mode & 0o7777).toString(8).padStart(4, '0')} on OCLC's exchange; the mode cannot be changed`,
      });
    }
    if (
      (attrs.uid !== undefined && attrs.uid !== current.uid) ||
      (attrs.gid !== undefined && attrs.gid !== current.gid)
    ) {
      throw new DataSyncError('ATTRIBUTES_FIXED', { path, reason: 'ownership cannot be changed' });
    }
  }

  /** Missing, and when our own records say why (picked up, or an interrupted upload), say so. */
  #notFound(folder: Folder | undefined, name: string, action: string, path: string): DataSyncError {
    const record = folder?.upload
      ? this.#intake.absence(this.#tree.institution.symbol, folder.path, name)
      : undefined;
    if (!record) return new DataSyncError('PATH_NOT_FOUND', { action, path });
    return this.#probedError(record, action, path);
  }

  #attributesOf(path: string, action: string): FileAttributes {
    const folder = this.#tree.folder(path);
    if (folder) return folderAttributes(folder, this.#tree.root);
    const stats = this.#fileStats(path);
    if (!stats)
      throw this.#notFound(this.#tree.locate(path).folder, this.#tree.locate(path).name, action, path);
    return fileAttributes(stats, Boolean(this.#tree.locate(path).folder?.upload));
  }

  #fileStats(path: string): Stats | undefined {
    const { folder, name } = this.#tree.locate(path);
    // No file has a name over NAME_MAX; asking the disk would fail with ENAMETOOLONG.
    if (!folder?.realPath || name === '' || Buffer.byteLength(name) > NAME_MAX) return undefined;
    const stats = statSync(join(folder.realPath, name), { throwIfNoEntry: false });
    return stats?.isFile() ? stats : undefined;
  }

  #folderOrThrow(path: string, action: string): Folder {
    const folder = this.#tree.folder(path);
    if (!folder) throw new DataSyncError('PATH_NOT_FOUND', { action, path });
    return folder;
  }

  #entriesOf(folder: Folder): DirectoryEntry[] {
    const entries: DirectoryEntry[] = [];
    for (const child of folder.children) {
      const childFolder = this.#tree.folder(posix.join(folder.path, child));
      if (childFolder)
        entries.push(entry(child, folderAttributes(childFolder, this.#tree.root), this.#account));
    }
    if (folder.realPath && existsSync(folder.realPath)) {
      for (const name of readdirSync(folder.realPath).sort()) {
        const stats = statSync(join(folder.realPath, name), { throwIfNoEntry: false });
        if (stats?.isFile())
          entries.push(entry(name, fileAttributes(stats, Boolean(folder.upload)), this.#account));
      }
    }
    return entries;
  }

  #addHandle(handle: FileHandle | DirectoryHandle): number {
    this.#budget.opened();
    const id = this.#nextHandle++;
    this.#handles.set(id, handle);
    return id;
  }

  #handle(id: number, action: string): FileHandle | DirectoryHandle {
    const h = this.#handles.get(id);
    if (!h) throw new DataSyncError('HANDLE_INVALID', { action });
    return h;
  }

  #fileHandle(id: number, action: string): FileHandle {
    const h = this.#handle(id, action);
    if (h.type !== 'file') throw new DataSyncError('HANDLE_INVALID', { action });
    return h;
  }
}

function nodeOpenMode(flags: OpenFlags, exists: boolean): string {
  if (flags.append) return flags.truncate ? 'w' : flags.read ? 'a+' : 'a';
  if (flags.truncate || !exists) return flags.read ? 'w+' : 'w';
  return 'r+';
}

/** Times come from the folder's directory on disk (or the account's, for folders of folders). */
function folderAttributes(folder: Folder, accountRoot: string): FileAttributes {
  const writable = Boolean(folder.upload);
  const stats =
    (folder.realPath ? statSync(folder.realPath, { throwIfNoEntry: false }) : undefined) ??
    statSync(accountRoot, { throwIfNoEntry: false });
  return {
    mode: S_IFDIR | (writable ? 0o755 : 0o555),
    uid: 0,
    gid: 0,
    size: 4096,
    atime: stats ? Math.floor(stats.atimeMs / 1000) : 0,
    mtime: stats ? Math.floor(stats.mtimeMs / 1000) : 0,
  };
}

function spaceOf(dir: string): SpaceFigures {
  const fs = statfsSync(dir);
  return {
    blockSize: fs.bsize,
    totalBlocks: fs.blocks,
    freeBlocks: fs.bfree,
    availableBlocks: fs.bavail,
    totalFiles: fs.files,
    freeFiles: fs.ffree,
    nameMax: 255,
  };
}

function absenceError(record: UploadRecord, action: string, path: string): DataSyncError {
  if (record.state === 'incomplete') {
    return new DataSyncError('UPLOAD_INTERRUPTED', {
      action,
      path,
      at: new Date(record.startedAt).toISOString(),
      reason: record.reason ?? 'the connection ended before the file was closed',
    });
  }
  return new DataSyncError('UPLOAD_PICKED_UP', {
    action,
    path,
    at: new Date(record.queuedAt ?? record.receivedAt ?? record.startedAt).toISOString(),
  });
}

const PICKED_UP = 'the file was already picked up for processing';

/** What a just-picked-up upload looked like in the folder: its size, received at its time. */
function acceptedAttributes(record: UploadRecord): FileAttributes {
  const received = Math.floor((record.receivedAt ?? record.startedAt) / 1000);
  return { mode: S_IFREG | 0o644, uid: 0, gid: 0, size: record.size ?? 0, atime: received, mtime: received };
}

function fileAttributes(stats: Stats, writable: boolean): FileAttributes {
  return {
    mode: S_IFREG | (writable ? 0o644 : 0o444),
    uid: 0,
    gid: 0,
    size: stats.size,
    atime: Math.floor(stats.atimeMs / 1000),
    mtime: Math.floor(stats.mtimeMs / 1000),
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `ls -l` style, which OpenSSH's `ls -l` prints as is. */
function entry(filename: string, attrs: FileAttributes, owner: string): DirectoryEntry {
  const isDir = (attrs.mode & S_IFDIR) === S_IFDIR;
  const perms = [0o400, 0o200, 0o100, 0o040, 0o020, 0o010, 0o004, 0o002, 0o001]
    .map((bit, i) => (attrs.mode & bit ? 'rwx'[i % 3] : '-'))
    .join('');
  const date = new Date(attrs.mtime * 1000);
  const stamp = `${MONTHS[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2, ' ')} ${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
  const longname = `${isDir ? 'd' : '-'}${perms}    1 ${owner.padEnd(8)} ${owner.padEnd(8)} ${String(attrs.size).padStart(8)} ${stamp} ${filename}`;
  return { filename, longname, attrs };
}
