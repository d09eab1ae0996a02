import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { easternStamp } from '../../oclc/reports/eastern-time.ts';
import { parseDuration } from '../../oclc/duration.ts';
import type { Clock, Timer } from '../clock/clock.ts';
import type { Institution, SimulatorConfig } from '../config/simulator-config.ts';
import type { SimulatorEvents } from '../events/simulator-events.ts';
import type { FaultAction } from '../config/fault-rule-schema.ts';
import { reportsFolder } from '../storage/account-tree.ts';
import type { UploadRecord, UploadStore } from '../storage/upload-store.ts';
import { ClaimLostError, type SharedWorkQueue } from '../storage/shared-work-queue.ts';
import type { BibJob } from './bib-job.ts';
import type { LhrJob } from './lhr-job.ts';
import { deliverReports } from '../reports/deliver-reports.ts';
import { deliverFailureReport } from '../reports/failure-report.ts';
import { ProcessingWorkerClient } from './processing-worker-client.ts';
import { InThreadProcessor, IN_THREAD_MAX_BYTES } from './in-thread-processor.ts';
import type { Db } from '../storage/open-database.ts';
import { storageLayout } from '../storage/storage-layout.ts';

/** A worker thread, or the main thread for a small file. */
type FileProcessor = Pick<ProcessingWorkerClient, 'process'>;
/** The replicas' queue in PostgreSQL (D151), as processing uses it. */
export type SharedQueue = Pick<
  SharedWorkQueue,
  | 'offer'
  | 'offerAllQueued'
  | 'claim'
  | 'release'
  | 'heartbeat'
  | 'releaseAll'
  | 'waiting'
  | 'records'
  | 'forgetMoved'
  | 'heartbeatMs'
>;

/** The fault rules as processing sees them. */
export interface ProcessingFaults {
  take(call: { operation: 'processing'; path: string; account: string }): FaultAction | undefined;
}

/**
 * Decides when queued files are processed (immediate, after a delay on the injected clock, or
 * only when told) and processes them in workers: one file at a time per institution, in arrival
 * order (OCLC's order), and different institutions' files at once up to the core count, so one
 * institution's large file never holds back another's small one.
 */
export class ProcessingQueue {
  readonly #config: SimulatorConfig;
  readonly #store: UploadStore;
  readonly #events: SimulatorEvents;
  readonly #clock: Clock;
  // At least two: even on one core, time-slicing lets a small file through beside a large one.
  readonly #parallel = Math.max(2, availableParallelism());
  readonly #workers: ProcessingWorkerClient[] = [];
  readonly #idle: ProcessingWorkerClient[] = [];
  readonly #pending: number[] = [];
  /** Institution (target symbol) → the processing of its file now running. */
  readonly #running = new Map<string, Promise<void>>();
  readonly #whenIdle: (() => void)[] = [];
  readonly #timers = new Map<number, Timer>();
  #stopped = false;
  #unsubscribe: (() => void) | undefined;
  readonly #faults: ProcessingFaults | undefined;
  /** Files whose processing fault was already applied (a delayed file is not delayed again). */
  readonly #faulted = new Set<number>();
  /** Files a processing delay holds back until its timer fires, even from run(). */
  readonly #held = new Set<number>();
  readonly #merges: () => Readonly<Record<string, string>>;
  readonly #exclusive: <T>(work: () => Promise<T>, fileId?: number) => Promise<T>;
  readonly #durable: boolean;
  /** Small files, when no worker is busy (none without the simulator's connection). */
  readonly #inThread: InThreadProcessor | undefined;
  #inThreadBusy = false;
  readonly #shared: SharedQueue | undefined;
  #pumping = false;
  #pumpAgain = false;
  #beat: NodeJS.Timeout | undefined;

  constructor(deps: {
    config: SimulatorConfig;
    store: UploadStore;
    events: SimulatorEvents;
    clock: Clock;
    faults?: ProcessingFaults;
    /** Merges made since start (POST /api/worldcat/merge): old number → current number. */
    merges?: () => Readonly<Record<string, string>>;
    /**
     * Runs a file's processing as one WorldCat change (a PostgreSQL store shares it, D105); with a
     * shared queue, the change also finishes the file's claim (D151).
     */
    exclusive?: <T>(work: () => Promise<T>, fileId?: number) => Promise<T>;
    /** With a PostgreSQL store: files are offered to, and claimed from, the replicas' one queue. */
    shared?: SharedQueue;
    /** False for a data dir thrown away at stop (a test's): commits skip the disk sync. */
    durable?: boolean;
    /** The simulator's own connection: small files are processed on it, on the main thread. */
    db?: Db;
  }) {
    this.#inThread = deps.db ? new InThreadProcessor(deps.db, () => deps.clock.now()) : undefined;
    this.#durable = deps.durable ?? true;
    this.#exclusive = deps.exclusive ?? ((work) => work());
    this.#shared = deps.shared;
    this.#faults = deps.faults;
    this.#merges = deps.merges ?? (() => ({}));
    this.#config = deps.config;
    this.#store = deps.store;
    this.#events = deps.events;
    this.#clock = deps.clock;
  }

  /** Recovers from a crash, then follows the configured processing mode. */
  start(): void {
    this.#recover();
    const unqueued = this.#events.on('file:queued', (record) => this.#schedule(record));
    const unwarm = this.#warmOnFirstUpload();
    this.#unsubscribe = () => {
      unqueued();
      unwarm();
    };
    for (const record of this.#store.list({ state: 'queued' })) this.#schedule(record);
    if (this.#shared) {
      const shared = this.#shared;
      // Wall-clock like the lease it renews; the same beat looks for work other replicas offered
      // or left behind (an expired claim), and re-offers what an earlier offer failed to send.
      this.#beat = setInterval(() => {
        shared.heartbeat().catch(() => undefined);
        shared.forgetMoved().catch(() => undefined);
        if (this.#config.processing.mode === 'immediate') this.#offer(this.#unheldQueued());
        this.#pump();
      }, shared.heartbeatMs);
      this.#beat.unref();
      this.#pump();
    }
  }

  /** Processes every queued file now, whatever the mode; resolves with them once done. */
  async run(): Promise<UploadRecord[]> {
    if (this.#shared) return this.#runShared(this.#shared);
    const ids = this.#store.list({ state: 'queued' }).map((r) => r.id);
    for (const id of ids) this.#enqueue(id);
    await this.#drain();
    return ids.map((id) => this.#store.get(id));
  }

  /**
   * Every replica's queued files, offered and processed by whichever replica claims them; resolves
   * once none of them is left in the queue, with them as PostgreSQL has them.
   */
  async #runShared(shared: SharedQueue): Promise<UploadRecord[]> {
    await shared.offer(this.#unheldQueued());
    const ids = await shared.offerAllQueued();
    this.#pump();
    // Another replica may be processing some of them: their end shows only in PostgreSQL.
    while (!this.#stopped && (await shared.waiting(ids)) > 0) await new Promise((r) => setTimeout(r, 50));
    return shared.records(ids);
  }

  #unheldQueued(): number[] {
    return this.#store
      .list({ state: 'queued' })
      .map((r) => r.id)
      .filter((id) => !this.#held.has(id));
  }

  #offer(ids: number[]): void {
    this.#shared?.offer(ids).then(
      () => this.#pump(),
      () => undefined, // PostgreSQL did not answer: the next beat offers them again.
    );
  }

  /** Claims files from the shared queue while workers are free; one claim at a time. */
  #pump(): void {
    const shared = this.#shared;
    if (!shared || this.#stopped) return;
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    (async () => {
      do {
        this.#pumpAgain = false;
        while (!this.#stopped && this.#running.size < this.#parallel) {
          const record = await shared.claim().catch(() => undefined);
          if (!record) break;
          this.#startClaimed(shared, record.id);
        }
      } while (this.#pumpAgain && !this.#stopped);
      this.#pumping = false;
    })().catch(() => {
      this.#pumping = false;
    });
  }

  /** Processes a claimed file; then its entry goes (or, when stopping, its claim is given up). */
  #startClaimed(shared: SharedQueue, id: number): void {
    const key = `#${id}`;
    const worker = this.#idle.pop() ?? this.#newWorker();
    // As in #dispatch, a failure to record the outcome leaves the file queued in the working
    // copy; it leaves the shared queue, and a restart of this replica offers it again.
    const run = this.#processOne(id, worker)
      .catch(() => undefined)
      .then(() => shared.release(id, !this.#stopped))
      .catch(() => undefined)
      .finally(() => {
        this.#running.delete(key);
        this.#idle.push(worker);
        this.#pump();
      });
    this.#running.set(key, run);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#beat);
    this.#unsubscribe?.();
    for (const timer of this.#timers.values()) timer.cancel();
    this.#timers.clear();
    await Promise.all(this.#workers.map((w) => w.stop()));
    await Promise.all(this.#running.values());
    await this.#shared?.releaseAll().catch(() => undefined);
    for (const resolve of this.#whenIdle.splice(0)) resolve();
  }

  /**
   * With immediate processing, a worker boots while the first upload is still arriving (or is
   * taken from the process's spares), so that file's outcome does not wait for a thread to start.
   */
  #warmOnFirstUpload(): () => void {
    if (this.#config.processing.mode !== 'immediate') return () => {};
    const unsubscribe = this.#events.on('upload:started', () => {
      unsubscribe();
      this.#inThread?.warm();
      if (this.#stopped || this.#workers.length > 0) return;
      const worker = this.#newWorker();
      this.#idle.push(worker);
      // A worker that cannot start fails the file that needs it, with the reason; not here.
      worker.warm().catch(() => undefined);
    });
    return unsubscribe;
  }

  #schedule(record: UploadRecord): void {
    const processing = this.#config.processing;
    if (processing.mode === 'immediate') this.#enqueue(record.id);
    if (processing.mode !== 'delay' || this.#timers.has(record.id)) return;
    const waited = this.#clock.now() - (record.queuedAt ?? this.#clock.now());
    const timer = this.#clock.setTimer(Math.max(0, processing.delayMs - waited), () => {
      this.#timers.delete(record.id);
      this.#enqueue(record.id);
    });
    this.#timers.set(record.id, timer);
  }

  #enqueue(id: number): void {
    if (this.#stopped || this.#pending.includes(id)) return;
    this.#timers.get(id)?.cancel();
    this.#timers.delete(id);
    if (this.#shared) {
      this.#offer([id]);
      return;
    }
    this.#pending.push(id);
    this.#dispatch();
  }

  /** Resolves once nothing is pending or running. */
  #drain(): Promise<void> {
    if (this.#pending.length === 0 && this.#running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#whenIdle.push(resolve));
  }

  /** Starts the earliest pending file of each institution with nothing running, while workers are free. */
  #dispatch(): void {
    // A small file on the main thread holds the others back for its few milliseconds (D155).
    while (!this.#stopped && this.#running.size < this.#parallel && !this.#inThreadBusy) {
      const at = this.#pending.findIndex((id) => !this.#running.has(this.#institutionOf(id)));
      if (at < 0) break;
      const [id] = this.#pending.splice(at, 1);
      if (id === undefined) break;
      const symbol = this.#institutionOf(id);
      const inThread = this.#inThreadFor(id);
      const worker = inThread ?? this.#idle.pop() ?? this.#newWorker();
      this.#inThreadBusy = inThread !== undefined;
      const run = this.#processOne(id, worker)
        .catch(() => {
          // Recording the outcome failed (the state database's disk is full or failing). The
          // file stays queued or processing; a restart picks it up again. Go on with the next.
        })
        .finally(() => {
          this.#running.delete(symbol);
          if (inThread) this.#inThreadBusy = false;
          else this.#idle.push(worker as ProcessingWorkerClient);
          this.#dispatch();
        });
      this.#running.set(symbol, run);
    }
    if (this.#pending.length === 0 && this.#running.size === 0)
      for (const resolve of this.#whenIdle.splice(0)) resolve();
  }

  /** The main thread takes a small file only when no worker is processing one. */
  #inThreadFor(id: number): InThreadProcessor | undefined {
    if (!this.#inThread || this.#running.size > 0) return undefined;
    const size = this.#store.get(id).size;
    return size !== null && size <= IN_THREAD_MAX_BYTES ? this.#inThread : undefined;
  }

  #institutionOf(id: number): string {
    return this.#store.get(id).targetSymbol;
  }

  #newWorker(): ProcessingWorkerClient {
    const worker = new ProcessingWorkerClient(() => this.#clock.now());
    this.#workers.push(worker);
    return worker;
  }

  async #processOne(id: number, worker: FileProcessor): Promise<void> {
    const record = this.#store.get(id);
    if (record.state !== 'queued' || this.#held.has(id)) return;
    const later = this.#laterSameName(record);
    if (later) {
      const superseded = this.#store.update(id, {
        state: 'superseded',
        reason: `a file of the same name arrived later that day (upload ${later.id}); only the last one is processed`,
      });
      this.#events.emit('file:superseded', superseded);
      return;
    }
    const fault = this.#faulted.has(id)
      ? undefined
      : this.#faults?.take({ operation: 'processing', path: record.name, account: record.account });
    if (fault) this.#faulted.add(id);
    if (fault && 'delay' in fault) {
      // Lands late on the simulator's clock, as OCLC's runs sometimes do.
      this.#held.add(id);
      this.#clock.setTimer(parseDuration(fault.delay) ?? 0, () => {
        this.#held.delete(id);
        this.#enqueue(id);
      });
      return;
    }
    const job = this.#job(record);
    if (fault && 'fail' in fault && typeof job !== 'string') {
      this.#failWithReport(job, fault.fail, fault.fail);
      return;
    }
    if (fault && 'fail' in fault) {
      this.#events.emit('file:failed', this.#store.update(id, { state: 'failed', reason: fault.fail }));
      return;
    }
    if (typeof job === 'string') {
      this.#events.emit('file:failed', this.#store.update(id, { state: 'failed', reason: job }));
      return;
    }
    this.#events.emit('file:processing', this.#store.update(id, { state: 'processing' }));
    try {
      await this.#exclusive(async () => {
        await worker.process(
          job,
          (progress) =>
            this.#events.emit('processing:progress', {
              fileId: id,
              name: record.name,
              ...progress,
              totalBytes: record.size ?? 0,
            }),
          this.#config.maxFileTimeMs,
        );
        if (fault && 'rerun' in fault) await this.#rerun(job, worker);
      }, id);
      this.#events.emit('file:processed', this.#store.get(id));
    } catch (error) {
      if (this.#stopped) return;
      if (error instanceof ClaimLostError) {
        // Another replica took the file over and processes it; this replica's copy is stale.
        this.#store.delete(id);
        return;
      }
      const reason = error instanceof Error ? error.message : String(error);
      this.#failWithReport(job, `processing failed: ${reason}`, `Processing stopped: ${reason}.`);
    }
  }

  /** The file fails, and its sender still gets an exception report saying why (one row). */
  #failWithReport(job: BibJob | LhrJob, reason: string, row: string): void {
    let reports: string[] = [];
    try {
      reports = deliverFailureReport(job, row, storageLayout.workRoot(storageLayout.stateDir(this.#config)));
    } catch {
      // The report could not be written (a full disk): the failure is still recorded below.
    }
    const summary = { records: 0, actions: {}, dataErrors: 0, holdingsSet: 0, holdingsCancelled: 0, reports };
    this.#events.emit(
      'file:failed',
      this.#store.update(job.fileId, {
        state: 'failed',
        reason,
        summary: reports.length > 0 ? summary : null,
      }),
    );
  }

  /** OCLC sometimes processes a file twice; the second run's reports carry the counter `_1`. */
  async #rerun(job: BibJob | LhrJob, worker: FileProcessor): Promise<void> {
    const scratch = mkdtempSync(join(storageLayout.stateDir(this.#config), 'rerun-'));
    try {
      const summary = await worker.process({ ...job, reportDirs: [scratch] });
      const reports = deliverReports(scratch, job.reportDirs, 1);
      const first = this.#store.get(job.fileId).summary;
      this.#store.update(job.fileId, {
        summary: { ...summary, reports: [...(first?.reports ?? []), ...reports] },
      });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  /** OCLC: when several files of the same name arrive the same day, only the last is processed. */
  #laterSameName(record: UploadRecord): UploadRecord | undefined {
    const day = easternStamp(record.receivedAt ?? 0).date;
    return this.#store
      .list({ symbol: record.targetSymbol })
      .find(
        (other) =>
          other.id > record.id &&
          other.name === record.name &&
          other.targetSymbol === record.targetSymbol &&
          ['received', 'queued', 'processing', 'processed'].includes(other.state) &&
          easternStamp(other.receivedAt ?? 0).date === day,
      );
  }

  /** The worker's job for a file, or why it cannot be processed. */
  #job(record: UploadRecord): BibJob | LhrJob | string {
    const target = this.#institution(record.targetSymbol);
    const sender = this.#institution(record.senderSymbol);
    const collection = target?.collections.find((c) => c.id === record.collectionId);
    if (!target || !sender || !collection || !record.storedPath) {
      return 'the file has no collection to be processed under';
    }
    const reportDirs = [reportsFolder(this.#config.dataDir, sender)];
    if (target !== sender) reportDirs.push(reportsFolder(this.#config.dataDir, target));
    const common = {
      fileId: record.id,
      dataDir: storageLayout.stateDir(this.#config),
      storedPath: record.storedPath,
      name: record.name,
      senderSymbol: sender.encodedSymbol,
      targetEncoded: target.encodedSymbol,
      receivedAt: record.receivedAt ?? record.startedAt,
      reportDirs,
      durable: this.#durable,
    };
    const { id, type, ocnField, lsnField } = collection;
    const allowedSymbols = [sender.symbol, ...sender.uploadsFor];
    if (type === 'lhr' || type === 'delete-lhr') {
      const field = ocnField === '014' || ocnField === '035' ? ocnField : '004';
      const translation = collection.lhr.translation;
      return {
        ...common,
        kind: 'lhr',
        allowedSymbols,
        collection: { id, type, ocnField: field, translation },
      };
    }
    if (record.kind === 'lhr') return `collection ${id} is a ${type} collection; it cannot take LHR files`;
    const { merged, deleted, newOcnStart, provisionalOcnStart } = this.#config.worldcat;
    const bibField = ocnField === '004' || ocnField === '014' ? 'any' : ocnField;
    return {
      ...common,
      kind: 'bib',
      targetSymbol: target.symbol,
      allowedSymbols,
      collection: {
        id,
        type,
        ocnField: bibField,
        lsnField,
        validationBlock: collection.validation.block,
        holdings: collection.holdings,
      },
      worldcat: {
        merged: { ...merged, ...this.#merges() },
        deleted: [...deleted],
        newOcnStart,
        provisionalOcnStart,
      },
    };
  }

  #institution(symbol: string): Institution | undefined {
    return this.#config.institutions.find((i) => i.symbol === symbol);
  }

  /**
   * After a crash: a file caught mid-processing goes back to the queue (its scratch is thrown
   * away, the main database never saw it); a processed file whose reports were not yet delivered
   * gets them now.
   */
  #recover(): void {
    const workRoot = storageLayout.workRoot(storageLayout.stateDir(this.#config));
    for (const record of this.#store.list({ state: 'processing' }))
      this.#store.update(record.id, { state: 'queued' });
    if (!existsSync(workRoot)) return;
    for (const entry of readdirSync(workRoot)) {
      const id = Number(entry);
      const dir = join(workRoot, entry);
      const record = Number.isInteger(id) ? this.#store.find(id) : undefined;
      if (record?.state === 'processed') {
        const job = this.#job(record);
        if (typeof job !== 'string') deliverReports(join(dir, 'reports'), job.reportDirs);
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
