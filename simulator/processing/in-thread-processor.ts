import type { Db } from '../storage/open-database.ts';
import type { ProcessingSummary } from '../storage/upload-store.ts';
import type { BibJob } from './bib-job.ts';
import type { FileProgress } from './file-progress.ts';
import type { LhrJob } from './lhr-job.ts';

/** Files up to this size are processed on the main thread; a few milliseconds of work at most. */
export const IN_THREAD_MAX_BYTES = 64 * 1024;

type Modules = [typeof import('./process-bib-file.ts'), typeof import('./process-lhr-file.ts')];

/**
 * Processes a small file on the main thread with the simulator's own database connection: no
 * thread hop, and no wait for a worker thread that runs at a lower priority and is scheduled late
 * on a busy machine (a test's three-record file, D155). The queue uses it only while no worker is
 * processing, and starts no worker's file meanwhile, so no other commit holds SQLite's write lock
 * for it to wait on; a large file never comes here, so it never blocks the SFTP server.
 */
export class InThreadProcessor {
  readonly #db: Db;
  readonly #now: () => number;
  #modules: Promise<Modules> | undefined;

  constructor(db: Db, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  /** Loads the processing code ahead of the first file (the first upload is still arriving). */
  warm(): void {
    this.#load().catch(() => undefined);
  }

  async process(
    job: BibJob | LhrJob,
    onProgress: (p: FileProgress) => void = () => {},
  ): Promise<ProcessingSummary> {
    const [bib, lhr] = await this.#load();
    // After the SFTP answer that queued this file has gone out: the upload is not kept waiting.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const progress: FileProgress = { records: 0, bytes: 0 };
    const finishedAt = (): Promise<number> => Promise.resolve(this.#now());
    const summary =
      job.kind === 'lhr'
        ? await lhr.processLhrFile(job, this.#db, finishedAt, progress)
        : await bib.processBibFile(job, this.#db, finishedAt, progress);
    // One report at the end, as the worker's last one: every file shows 100 %.
    onProgress(progress);
    return summary;
  }

  #load(): Promise<Modules> {
    this.#modules ??= Promise.all([import('./process-bib-file.ts'), import('./process-lhr-file.ts')]);
    return this.#modules;
  }
}
