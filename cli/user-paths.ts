import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSyncError } from '../oclc/error-catalogue.ts';
import { onUserPath } from '../oclc/file-system-error.ts';

/**
 * Checks on the paths a user names in flags, made before any work starts, so a typo is reported
 * as the user's mistake (exit 4 for a missing input, 2 for an output that cannot be written)
 * instead of surfacing later as a file-system error from deep inside a command.
 */
export function inputFile(path: string, what: string): string {
  const stats = onUserPath({ path, use: 'read', what }, () => statSync(path));
  if (stats.isDirectory())
    throw new DataSyncError('INPUT_UNREADABLE', { path, reason: `${what}: it is a folder, not a file` });
  return path;
}

export function inputFolder(path: string, what: string): string {
  const stats = onUserPath({ path, use: 'read', what }, () => statSync(path));
  if (!stats.isDirectory())
    throw new DataSyncError('INPUT_UNREADABLE', { path, reason: `${what}: it is a file, not a folder` });
  return path;
}

/** A file to be written: its folder must exist and be writable, and it must not be a folder. */
export function outputFile(path: string, what: string): string {
  const target = { path, use: 'write', what } as const;
  const existing = onUserPath(target, () => statSync(path, { throwIfNoEntry: false }));
  if (existing?.isDirectory())
    throw new DataSyncError('OUTPUT_UNWRITABLE', { path, reason: `${what}: it is a folder, not a file` });
  const folder = dirname(path);
  const parent = onUserPath({ ...target, what: `${what}'s folder` }, () =>
    statSync(folder, { throwIfNoEntry: false }),
  );
  if (!parent)
    throw new DataSyncError('OUTPUT_UNWRITABLE', {
      path,
      reason: `${what}: the folder ${folder} does not exist (create it first)`,
    });
  onUserPath(target, () => accessSync(folder, constants.W_OK));
  return path;
}

/** A folder to be written into, created if missing. */
export function outputFolder(path: string, what: string): string {
  onUserPath({ path, use: 'write', what }, () => mkdirSync(path, { recursive: true }));
  onUserPath({ path, use: 'write', what }, () => accessSync(path, constants.W_OK));
  return path;
}
