import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import { onUserPath } from '../../oclc/file-system-error.ts';
import { storageLayout } from './storage-layout.ts';

/** What the lock file holds: enough to name the holder and to tell whether it still runs. */
interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

export interface DataDirLock {
  /** Removes the lock file (once); the data dir is free for another server. */
  release(): void;
}

/** Data dirs this process holds, so a second simulator in the same process is refused too. */
const heldHere = new Set<string>();

/**
 * Takes the data dir for this process: a lock file with our pid, created exclusively. A lock
 * left by a process that no longer runs (same host, pid gone) is taken over. One held by a live
 * process, or by another host (a container whose pids we cannot see), refuses with
 * DATA_DIR_LOCKED (exit 69), naming the holder. Released by `release()` and, should the process
 * end without stopping the simulator, on exit. Start-up takes it before cleaning anything up.
 */
export function lockDataDir(dataDir: string, now: string): DataDirLock {
  const file = storageLayout.lockFile(dataDir);
  // A data dir under a file, or in a folder we cannot write, is the user's mistake (exit 2).
  onUserPath({ path: dataDir, use: 'write', what: 'data dir' }, () =>
    mkdirSync(dataDir, { recursive: true }),
  );
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: now };
  for (let attempt = 0; ; attempt++) {
    if (createExclusively(file, me)) break;
    const holder = readOwner(file);
    if (holder && !isStale(holder, file)) throw locked(dataDir, file, holder);
    // Stale or unreadable (a crash while writing it): take it over once; a racing start may win.
    if (attempt > 0) throw locked(dataDir, file, holder ?? readOwner(file));
    rmSync(file, { force: true });
  }
  heldHere.add(file);
  const onExit = (): void => release();
  process.once('exit', onExit);
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off('exit', onExit);
    heldHere.delete(file);
    if (readOwner(file)?.pid === me.pid) rmSync(file, { force: true });
  };
  return { release };
}

function createExclusively(file: string, owner: LockOwner): boolean {
  try {
    writeFileSync(file, `${JSON.stringify(owner)}\n`, { flag: 'wx', mode: 0o644 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof owner.pid !== 'number' || typeof owner.host !== 'string') return undefined;
    return { pid: owner.pid, host: owner.host, startedAt: String(owner.startedAt ?? '') };
  } catch {
    return undefined;
  }
}

function isStale(holder: LockOwner, file: string): boolean {
  // Our own pid without our own lock: pid reuse, e.g. pid 1 in a container started anew.
  if (holder.pid === process.pid) return !heldHere.has(file);
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function locked(dataDir: string, file: string, holder: LockOwner | undefined): DataSyncError {
  const who = holder
    ? `process ${holder.pid} on ${holder.host === hostname() ? 'this host' : `host ${holder.host}`}` +
      (holder.startedAt ? `, started ${holder.startedAt}` : '')
    : 'another process (its lock file is unreadable)';
  const gone = holder && holder.host === hostname() ? '' : ` If that process is gone, delete ${file}.`;
  return new DataSyncError('DATA_DIR_LOCKED', { dataDir, holder: who, hint: gone });
}
