import { DataSyncError } from '../../oclc/error-catalogue.ts';

/** Where a disk operation failed, in the client's terms (never the server's own paths). */
export interface FailureSite {
  /** What the client asked for: "upload", "rename". */
  action: string;
  /** The client's path, e.g. /xfer/metacoll/in/bib/x.mrc. */
  path: string;
}

const STAGES: Readonly<Record<string, string>> = {
  open: 'create the file on',
  write: 'write to',
  close: 'finish the file on',
  rename: 'move the file on',
  fsync: 'flush the file to',
};

/**
 * The answer for a failed disk operation during an upload: a full disk or quota, an I/O error or a
 * name too long for the file system become catalogued errors that name the client's path only.
 * Anything else is not a condition the simulator expects, so it is returned unchanged.
 */
export function storageFailure(error: unknown, site: FailureSite): unknown {
  if (error instanceof DataSyncError) return error;
  const e = error as { code?: unknown; syscall?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  const syscall = typeof e?.syscall === 'string' ? e.syscall : 'write';
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') {
    return new DataSyncError('DISK_FULL', { ...site }, { cause: error });
  }
  if (code === 'ENAMETOOLONG') {
    return new DataSyncError(
      'NAME_TOO_LONG',
      { ...site, length: Buffer.byteLength(site.path.split('/').pop() ?? ''), max: 255 },
      { cause: error },
    );
  }
  if (code === 'EIO' || code.startsWith('SQLITE_IOERR')) {
    const operation = STAGES[syscall] ?? 'use';
    return new DataSyncError('STORAGE_FAILED', { ...site, operation, reason: code }, { cause: error });
  }
  return error;
}
