import { join, posix } from 'node:path';
import { deliveriesBetween, nextDelivery } from '../../oclc/datasync/delivery-schedule.ts';
import { OUTPUT_FOLDER, OUTPUT_KINDS, type OutputKind } from '../../oclc/datasync/output-settings.ts';
import { outputFileName } from '../../oclc/datasync/output-name.ts';
import { outputRecord } from '../../oclc/datasync/output-record.ts';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import type { MarcRecord } from '../../oclc/marc/marc-record.ts';
import type { Clock, Timer } from '../clock/clock.ts';
import type { SimulatorConfig } from '../config/simulator-config.ts';
import type { SimulatorEvents } from '../events/simulator-events.ts';
import { HOME } from '../storage/account-tree.ts';
import type { OutputLedger } from '../storage/output-ledger.ts';
import { storageLayout } from '../storage/storage-layout.ts';
import type { WorldCatState } from '../worldcat/worldcat-state.ts';
import { outputTargets, type OutputTarget } from './output-targets.ts';
import { sweepOutputFiles } from './output-sweeper.ts';
import { planDelivery, type PlannedRecord } from './plan-delivery.ts';
import { writeOutputFile } from './write-output-file.ts';

/** OCLC puts at most this many records in one output file. */
export const RECORDS_PER_FILE = 100_000;
/** The timer never waits longer than this, so retention runs daily and long timers stay in range. */
const MAX_WAIT_MS = 86_400_000;
const BATCH = 1000;

/** One collection's delivery: the files written (SFTP paths) and the records in them. */
export interface OutputDelivery {
  symbol: string;
  collectionId: string;
  deliveredAt: string;
  files: string[];
  records: number;
  byKind: Record<OutputKind, number>;
}

/**
 * Record output: on each delivery time of the simulator clock (01:00 Eastern, per collection
 * frequency, missed ones caught up in order) or on request, writes the WorldCat records the
 * change log says were affected since the collection's last delivery into its account's
 * out/ongoing folders; zips and removes old files.
 */
export class RecordOutput {
  readonly #config: SimulatorConfig;
  readonly #worldcat: WorldCatState;
  readonly #ledger: OutputLedger;
  readonly #clock: Clock;
  readonly #events: SimulatorEvents;
  readonly #targets: OutputTarget[];
  #queue: Promise<unknown> = Promise.resolve();
  #timer: Timer | undefined;
  #stopped = false;

  constructor(deps: {
    config: SimulatorConfig;
    worldcat: WorldCatState;
    ledger: OutputLedger;
    clock: Clock;
    events: SimulatorEvents;
  }) {
    this.#config = deps.config;
    this.#worldcat = deps.worldcat;
    this.#ledger = deps.ledger;
    this.#clock = deps.clock;
    this.#events = deps.events;
    this.#targets = outputTargets(deps.config);
  }

  /** Starts the schedule: deliveries missed while stopped are made now, oldest first. */
  start(): void {
    this.#stopped = false;
    const now = this.#clock.now();
    for (const t of this.#targets)
      if (!this.#ledger.cursor(t.institution.symbol, t.collection.id))
        this.#ledger.delivered(
          { symbol: t.institution.symbol, collectionId: t.collection.id, lastSeq: 0, at: now },
          [],
        );
    if (this.#targets.length > 0) this.#scheduledTick();
  }

  stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    return this.idle();
  }

  /** Resolves once every delivery and sweep asked for so far has finished. */
  async idle(): Promise<void> {
    for (let q = this.#queue; ; q = this.#queue) {
      await q.catch(() => undefined);
      if (q === this.#queue) return;
    }
  }

  /** Delivers now (POST /api/output/deliver) for every output collection, or the ones named. */
  async deliver(
    filter: { symbol?: string | undefined; collectionId?: string | undefined } = {},
  ): Promise<OutputDelivery[]> {
    const targets = this.#select(filter);
    return this.#serial(async () => {
      const at = this.#clock.now();
      const done: OutputDelivery[] = [];
      for (const t of targets) done.push(await this.#deliverTarget(t, at));
      return done;
    });
  }

  /** Every output file delivered and still on the server (or every one ever, with `includeRemoved`). */
  async files(filter: { symbol?: string | undefined; includeRemoved?: boolean } = {}) {
    await this.idle();
    return this.#ledger.files(filter);
  }

  #select(filter: { symbol?: string | undefined; collectionId?: string | undefined }): OutputTarget[] {
    const symbol = filter.symbol?.toLowerCase();
    const targets = this.#targets.filter(
      (t) =>
        (symbol === undefined ||
          t.institution.symbol.toLowerCase() === symbol ||
          t.institution.encodedSymbol.toLowerCase() === symbol) &&
        (filter.collectionId === undefined || t.collection.id === filter.collectionId),
    );
    if (targets.length > 0) return targets;
    const named = [filter.symbol, filter.collectionId && `collection ${filter.collectionId}`]
      .filter(Boolean)
      .join(' ');
    throw new DataSyncError('NOT_FOUND', {
      subject: `a collection with record output${named ? ` for ${named}` : ''}`,
      reason:
        'record output is off unless a collection has an output block in the configuration (collections[].output); GET /api/health lists the collections',
    });
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Makes every delivery due by now, oldest first, sweeps old files, and waits for the next one. */
  async #tick(): Promise<void> {
    if (this.#stopped) return;
    const now = this.#clock.now();
    const due = this.#targets
      .flatMap((t) => {
        const cursor = this.#ledger.cursor(t.institution.symbol, t.collection.id);
        return deliveriesBetween(t.settings.frequency, cursor?.lastAt ?? now, now).map((at) => ({ t, at }));
      })
      .sort((a, b) => a.at - b.at);
    for (const { t, at } of due) await this.#deliverTarget(t, at);
    await this.#sweep(now);
    this.#arm();
  }

  #arm(): void {
    if (this.#stopped || this.#targets.length === 0) return;
    const now = this.#clock.now();
    const next = Math.min(...this.#targets.map((t) => nextDelivery(t.settings.frequency, now)));
    this.#timer?.cancel();
    this.#timer = this.#clock.setTimer(Math.min(next - now, MAX_WAIT_MS), () => this.#scheduledTick());
  }

  /** A tick nobody awaits: one that fails (a full disk) is tried again later, never ends the host. */
  #scheduledTick(): void {
    this.#serial(() => this.#tick()).catch(() => this.#arm());
  }

  async #deliverTarget(t: OutputTarget, at: number): Promise<OutputDelivery> {
    const symbol = t.institution.symbol;
    const collectionId = t.collection.id;
    const cursor = this.#ledger.cursor(symbol, collectionId) ?? { lastSeq: 0, lastAt: at };
    const untilSeq = this.#worldcat.changes.lastSeqAt(cursor.lastSeq, at);
    const plan = planDelivery(this.#worldcat.changes.between(cursor.lastSeq, untilSeq), {
      symbol,
      collectionId,
      owningCollection: (ocn) => this.#owningCollection(t, ocn),
    });
    const written: { path: string; kind: OutputKind; records: number }[] = [];
    const byKind = { new: 0, updates: 0, deletes: 0, merges: 0 };
    for (const kind of OUTPUT_KINDS) {
      if (!t.settings.include.includes(kind)) continue;
      const entries = this.#resolve(symbol, kind, plan[kind]);
      for (let start = 0, n = 1; start < entries.length; start += RECORDS_PER_FILE, n++) {
        const part = entries.slice(start, start + RECORDS_PER_FILE);
        const file = await this.#writeFile(t, { kind, n, at }, part);
        written.push(file);
        byKind[kind] += file.records;
      }
    }
    this.#ledger.delivered({ symbol, collectionId, lastSeq: untilSeq, at }, written);
    const delivery = {
      symbol,
      collectionId,
      deliveredAt: new Date(at).toISOString(),
      files: written.map((f) => f.path),
      records: written.reduce((n, f) => n + f.records, 0),
      byKind,
    };
    if (written.length > 0)
      this.#events.emit('output:delivered', {
        symbol,
        collectionId,
        files: delivery.files,
        records: delivery.records,
      });
    return delivery;
  }

  /** Current numbers (a record merged since goes out under its new number) and missing LSNs. */
  #resolve(symbol: string, kind: OutputKind, entries: readonly PlannedRecord[]): PlannedRecord[] {
    const current = entries.map((e) => ({
      ocn: kind === 'deletes' ? e.ocn : (this.#worldcat.records.current(e.ocn) ?? e.ocn),
      lsn: e.lsn,
    }));
    const missing = current.filter((e) => !e.lsn).map((e) => e.ocn);
    const lsns = this.#worldcat.lsnsFor(symbol, missing);
    return current.map((e) => ({ ocn: e.ocn, lsn: e.lsn ?? lsns.get(e.ocn) }));
  }

  async #writeFile(
    t: OutputTarget,
    file: { kind: OutputKind; n: number; at: number },
    entries: readonly PlannedRecord[],
  ): Promise<{ path: string; kind: OutputKind; records: number }> {
    const name = outputFileName({
      symbol: t.institution.encodedSymbol,
      kind: file.kind,
      frequency: t.settings.frequency,
      deliveredAt: file.at,
      collectionId: t.collection.id,
      n: file.n,
      format: t.settings.format,
    });
    const folder = `metacoll/out/ongoing/${OUTPUT_FOLDER[file.kind]}`;
    const root = storageLayout.institutionRoot(this.#config.dataDir, t.institution);
    const status = file.kind === 'new' ? 'n' : file.kind === 'deletes' ? 'd' : 'c';
    const records = await writeOutputFile(
      {
        path: join(root, folder, name),
        scratch: join(storageLayout.workRoot(storageLayout.stateDir(this.#config)), 'output', name),
      },
      this.#records(entries, { status, lsnField: t.settings.lsnField }),
      t.settings,
    );
    return { path: posix.join(HOME, folder, name), kind: file.kind, records };
  }

  async *#records(
    entries: readonly PlannedRecord[],
    how: { status: 'n' | 'c' | 'd'; lsnField: string },
  ): AsyncGenerator<MarcRecord[]> {
    for (let i = 0; i < entries.length; i += BATCH) {
      const batch = entries.slice(i, i + BATCH);
      const masters = this.#worldcat.records.masters(batch.map((e) => e.ocn));
      yield batch.map((e) => outputRecord({ master: masters.get(e.ocn), ocn: e.ocn, lsn: e.lsn, ...how }));
      // Let SFTP sessions and admin requests in between batches of a large delivery.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  #owningCollection(t: OutputTarget, ocn: string): string | undefined {
    const holding = this.#worldcat.holdingOf(t.institution.symbol, ocn);
    if (!holding) return undefined;
    const own = this.#targets.find(
      (o) => o.institution.symbol === t.institution.symbol && o.collection.id === holding.collectionId,
    );
    return (own ?? this.#targets.find((o) => o.institution.symbol === t.institution.symbol))?.collection.id;
  }

  async #sweep(now: number): Promise<void> {
    await sweepOutputFiles({
      ledger: this.#ledger,
      now,
      diskPath: (path, symbol) => {
        const institution = this.#config.institutions.find((i) => i.symbol === symbol);
        if (!institution) return undefined;
        return join(
          storageLayout.institutionRoot(this.#config.dataDir, institution),
          posix.relative(HOME, path),
        );
      },
      notify: (step, file) => this.#events.emit(`output:${step}`, file),
    });
  }
}
