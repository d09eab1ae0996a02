import { DataSyncError } from './error-catalogue.ts';

/** How a path the user gave is used, and what it is ("scenario file", "reports folder"). */
export interface UserPath {
  path: string;
  use: 'read' | 'write';
  what: string;
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EEXIST: 'a file is in the way of a folder',
};

/**
 * Turns a Node file-system error about a path the user gave into a catalogued error: a missing
 * input is "not found" (exit 4), anything else about an input or output is bad usage (exit 2).
 * Errors that are not about the file system are returned unchanged, so real bugs stay bugs.
 */
export function fileSystemError(error: unknown, target: UserPath): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !(code in REASONS)) return error;
  const reason = `${target.what}: ${REASONS[code] ?? code}`;
  const { path } = target;
  if (target.use === 'write')
    return new DataSyncError('OUTPUT_UNWRITABLE', { path, reason }, { cause: error });
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new DataSyncError(
      'NOT_FOUND',
      { subject: `the ${target.what} "${path}"`, reason: REASONS[code] ?? code },
      { cause: error },
    );
  return new DataSyncError('INPUT_UNREADABLE', { path, reason }, { cause: error });
}

/** Runs a file-system step on a path the user gave, reporting its failure as the user's mistake. */
export function onUserPath<T>(target: UserPath, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw fileSystemError(error, target);
  }
}

/** The same for asynchronous steps (streams, promises). */
export async function onUserPathAsync<T>(target: UserPath, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw fileSystemError(error, target);
  }
}

/** A configuration file or profile that cannot be read: missing is "not found", else unreadable. */
export function unreadableFile(error: unknown, path: string, what: string): DataSyncError {
  const mapped = fileSystemError(error, { path, use: 'read', what });
  if (mapped instanceof DataSyncError && mapped.code === 'NOT_FOUND') return mapped;
  const reason = error instanceof Error ? error.message : String(error);
  return new DataSyncError('CONFIG_UNREADABLE', { source: path, reason }, { cause: error });
}
