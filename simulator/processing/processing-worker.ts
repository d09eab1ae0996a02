import Database from 'better-sqlite3';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { databasePath } from '../storage/open-database.ts';
import type { BibJob } from './bib-job.ts';
import type { LhrJob } from './lhr-job.ts';
import { processBibFile } from './process-bib-file.ts';
import { processLhrFile } from './process-lhr-file.ts';

export type WorkerRequest =
  { type: 'process'; job: BibJob | LhrJob } | { type: 'now'; fileId: number; now: number };
export type WorkerReply =
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

const connections = new Map<string, Database.Database>();

function mainDb(dataDir: string): Database.Database {
  let db = connections.get(dataDir);
  if (!db) {
    db = new Database(databasePath(dataDir));
    db.pragma('busy_timeout = 60000');
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
  const { job } = request;
  const db = mainDb(job.dataDir);
  const finishedAt = (): Promise<number> => askTime(job.fileId);
  const work = job.kind === 'lhr' ? processLhrFile(job, db, finishedAt) : processBibFile(job, db, finishedAt);
  work.then(
    (summary) => parentPort?.postMessage({ type: 'done', fileId: job.fileId, summary } satisfies WorkerReply),
    (error: unknown) =>
      parentPort?.postMessage({
        type: 'failed',
        fileId: job.fileId,
        reason: error instanceof Error ? error.message : String(error),
      } satisfies WorkerReply),
  );
});
