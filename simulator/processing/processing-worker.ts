import Database from 'better-sqlite3';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { databasePath } from '../storage/open-database.ts';
import type { FileProgress } from './file-progress.ts';
import type { BibJob } from './bib-job.ts';
import type { LhrJob } from './lhr-job.ts';
import { processBibFile } from './process-bib-file.ts';
import { processLhrFile } from './process-lhr-file.ts';

export type WorkerRequest =
  | { type: 'process'; job: BibJob | LhrJob }
  | { type: 'now'; fileId: number; now: number }
  | { type: 'release' };
export type WorkerReply =
  | ({ type: 'progress'; fileId: number } & FileProgress)
  | { type: 'done'; fileId: number; summary: Awaited<ReturnType<typeof processBibFile>> }
  | { type: 'failed'; fileId: number; reason: string }
  | { type: 'now'; fileId: number };

/** Answers to "what time is it?": the simulator's clock lives on the main thread (tests step it). */
const clockReplies = new Map<number, (now: number) => void>();

function askTime(fileId: number): Promise<number> {
  return new Promise((resolve) => {
    clockReplies.set(fileId, resolve);
    parentPort?.postMessage({ type: 'now', fileId } satisfies WorkerReply);
  });
}

// Processing is background work: below the main thread, which serves SFTP sessions, so uploads keep
// their speed while a large file processes. Only on Linux, where the nice value is per thread
// (elsewhere it would slow the whole process).
if (process.platform === 'linux') {
  try {
    setPriority(0, 10);
  } catch {
    // Not permitted here: run at normal priority.
  }
}

const PROGRESS_INTERVAL_MS = 250;

const connections = new Map<string, Database.Database>();

function mainDb(dataDir: string, durable: boolean): Database.Database {
  let db = connections.get(dataDir);
  if (!db) {
    db = new Database(databasePath(dataDir));
    db.pragma('busy_timeout = 60000');
    // As the main thread's connection: in WAL mode NORMAL syncs at checkpoints, not at each commit
    // (a power cut may lose the last files' commits, which puts them back in the queue, never half
    // of one); OFF for a test's data dir, deleted at stop.
    db.pragma(`synchronous = ${durable ? 'NORMAL' : 'OFF'}`);
    // A 2 MB page cache (better-sqlite3 defaults to 16 MB): the same speed on a million-record
    // commit and on a second load's lookups, 15 MB less peak RSS (see open-scratch.ts).
    db.pragma('cache_size = -2000');
    connections.set(dataDir, db);
  }
  return db;
}

parentPort?.on('message', (request: WorkerRequest) => {
  if (request.type === 'now') {
    clockReplies.get(request.fileId)?.(request.now);
    clockReplies.delete(request.fileId);
    return;
  }
  if (request.type === 'release') {
    // Kept as a spare after its simulator stopped: that simulator's data dir is going away.
    for (const db of connections.values()) db.close();
    connections.clear();
    clockReplies.clear();
    return;
  }
  const { job } = request;
  const db = mainDb(job.dataDir, job.durable);
  const finishedAt = (): Promise<number> => askTime(job.fileId);
  const progress: FileProgress = { records: 0, bytes: 0 };
  // A timer, not a per-record message: at most four progress messages a second whatever the speed.
  let reported = 0;
  const ticker = setInterval(() => {
    if (progress.bytes === reported) return;
    reported = progress.bytes;
    parentPort?.postMessage({ type: 'progress', fileId: job.fileId, ...progress } satisfies WorkerReply);
  }, PROGRESS_INTERVAL_MS);
  const work =
    job.kind === 'lhr'
      ? processLhrFile(job, db, finishedAt, progress)
      : processBibFile(job, db, finishedAt, progress);
  // A last report at the end, so every file shows 100 % however fast it went.
  const finish = (): void => {
    clearInterval(ticker);
    parentPort?.postMessage({ type: 'progress', fileId: job.fileId, ...progress } satisfies WorkerReply);
  };
  work.then(
    (summary) => {
      finish();
      parentPort?.postMessage({ type: 'done', fileId: job.fileId, summary } satisfies WorkerReply);
    },
    (error: unknown) => {
      finish();
      parentPort?.postMessage({
        type: 'failed',
        fileId: job.fileId,
        reason: error instanceof Error ? error.message : String(error),
      } satisfies WorkerReply);
    },
  );
});
