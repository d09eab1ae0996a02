import { Worker } from 'node:worker_threads';
import { formatDuration } from '../../oclc/duration.ts';
import type { ProcessingSummary } from '../storage/upload-store.ts';
import type { FileProgress } from './file-progress.ts';
import type { BibJob } from './bib-job.ts';
import type { LhrJob } from './lhr-job.ts';
import { spareWorkers } from './spare-workers.ts';
import { workerBundle } from './worker-bundle.ts';
import type { WorkerReply, WorkerRequest } from './processing-worker.ts';

/**
 * One worker thread that processes files one at a time, so parsing a large file never blocks
 * the SFTP server's event loop. Started on first use (or taken from the process's spares); a
 * crashed worker is replaced; an idle one outlives its simulator as a spare.
 */
export class ProcessingWorkerClient {
  readonly #script: () => URL | Promise<URL>;
  #worker: Worker | undefined;
  #scriptHref = '';
  /** Takes this client's listeners off its worker (before it becomes a spare). */
  #detach: () => void = () => {};
  #current:
    | {
        fileId: number;
        resolve: (s: ProcessingSummary) => void;
        reject: (e: Error) => void;
        onProgress: (p: FileProgress) => void;
      }
    | undefined;

  readonly #now: () => number;

  /** `now` is the simulator's clock; `script` is the worker's code (tests pass one that misbehaves). */
  constructor(now: () => number, script: () => URL | Promise<URL> = workerBundle) {
    this.#now = now;
    this.#script = script;
  }

  async process(
    job: BibJob | LhrJob,
    onProgress: (p: FileProgress) => void = () => {},
    maxFileTimeMs = Infinity,
  ): Promise<ProcessingSummary> {
    if (this.#current) throw new Error('the processing worker is busy');
    const worker = this.#ensure(await this.#script());
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<ProcessingSummary>((resolve, reject) => {
      this.#current = { fileId: job.fileId, resolve, reject, onProgress };
      worker.postMessage({ type: 'process', job });
    });
    if (Number.isFinite(maxFileTimeMs)) {
      // Wall time, not the simulator clock: this bounds the machine's work, which a manual clock
      // does not move. The worker is ended; a new one takes the next file.
      timer = setTimeout(() => {
        const current = this.#current;
        if (current?.fileId !== job.fileId) return;
        this.#current = undefined;
        this.#worker = undefined;
        worker.terminate().catch(() => undefined);
        current.reject(
          new Error(`the file took longer than processing.maxFileTime (${formatDuration(maxFileTimeMs)})`),
        );
      }, maxFileTimeMs);
      timer.unref();
    }
    return done.finally(() => clearTimeout(timer));
  }

  /** Boots the worker ahead of the first file, so that file does not wait for it. */
  async warm(): Promise<void> {
    this.#ensure(await this.#script());
  }

  async stop(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    const current = this.#current;
    this.#current = undefined;
    this.#detach();
    if (worker && !current) spareWorkers.giveBack(this.#scriptHref, worker);
    else if (worker) await worker.terminate();
    current?.reject(new Error('the simulator stopped while the file was processing'));
  }

  #ensure(entry: URL): Worker {
    if (this.#worker) return this.#worker;
    this.#scriptHref = entry.href;
    // Processing streams, so a small heap suffices; the cap keeps RSS flat however large the file.
    const worker =
      spareWorkers.take(entry.href) ??
      new Worker(entry, { resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 16 } });
    const onMessage = (reply: WorkerReply): void => {
      const current = this.#current;
      if (!current || current.fileId !== reply.fileId) return;
      if (reply.type === 'now') {
        worker.postMessage({ type: 'now', fileId: reply.fileId, now: this.#now() } satisfies WorkerRequest);
        return;
      }
      if (reply.type === 'progress') {
        current.onProgress({ records: reply.records, bytes: reply.bytes });
        return;
      }
      this.#current = undefined;
      if (reply.type === 'done') current.resolve(reply.summary);
      else current.reject(new Error(reply.reason));
    };
    const onError = (error: Error): void => {
      this.#worker = undefined;
      this.#current?.reject(error);
      this.#current = undefined;
    };
    // A worker can end without an 'error' event (process.exit in a dependency, an out-of-memory
    // kill of the thread); the file it held must still settle or the queue stalls behind it.
    const onExit = (code: number): void => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#current?.reject(
        new Error(`the processing worker exited (code ${code}) before finishing the file`),
      );
      this.#current = undefined;
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    this.#detach = () => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    };
    worker.unref();
    this.#worker = worker;
    return worker;
  }
}
