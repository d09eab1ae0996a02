import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { onUserPath } from '../oclc/file-system-error.ts';
import { findInstitution } from './config/find-institution.ts';
import { systemClock, type Clock } from './clock/clock.ts';
import { rewindNumberCounters } from './worldcat/number-blocks.ts';
import { ProcessingQueue } from './processing/processing-queue.ts';
import { WorldCatState } from './worldcat/worldcat-state.ts';
import type { SimulatorConfig } from './config/simulator-config.ts';
import { SimulatorEvents } from './events/simulator-events.ts';
import { Journal } from './journal/journal.ts';
import { AccountTree, reportsFolder } from './storage/account-tree.ts';
import { fileOutcomes } from './reports/file-outcomes.ts';
import { FaultRules } from './faults/fault-rules.ts';
import { uploadBytes } from './intake/upload-bytes.ts';
import { Retention } from './intake/retention.ts';
import { UploadIntake, stagingDir } from './intake/upload-intake.ts';
import { openDatabase } from './storage/open-database.ts';
import { storageLayout } from './storage/storage-layout.ts';
import { openPostgres } from './storage/open-postgres.ts';
import { dropCapture, SharedWorldCat } from './worldcat/shared-worldcat.ts';
import { dropUploadCapture, UploadMirror } from './storage/upload-mirror.ts';
import { SharedWorkQueue } from './storage/shared-work-queue.ts';
import { resetState } from './reset-state.ts';
import { ApiTokens } from './metadata-api/api-tokens.ts';
import { RecordOutput, watchedSymbols } from './output/index.ts';
import { recordOutbox, Webhooks } from './notifications/index.ts';
import { OutputLedger } from './storage/output-ledger.ts';
import type { MarcRecord } from '../oclc/marc/marc-record.ts';
import { UploadStore } from './storage/upload-store.ts';
import { FileStageLog } from './storage/file-stage-log.ts';
import type { SimulatorStatus, StartedSimulator } from './started-simulator.ts';

/**
 * One world (issue 26): institutions and accounts, WorldCat, clock, journal, faults, processing,
 * reports and output, in one data dir. A simulator without namespaces is one world; an instance
 * with namespaces holds one per namespace beside the default, all served by one SFTP server and
 * one admin port.
 */
export interface World extends Pick<
  StartedSimulator,
  | 'config'
  | 'clock'
  | 'events'
  | 'journal'
  | 'faults'
  | 'files'
  | 'store'
  | 'worldcat'
  | 'output'
  | 'records'
  | 'metadataApi'
  | 'processing'
  | 'upload'
  | 'reset'
  | 'space'
> {
  readonly intake: UploadIntake;
  readonly tokens: ApiTokens;
  /** Runs a WorldCat write as D105 orders them (one shared change with a PostgreSQL store). */
  worldcatWrite<T>(write: () => T | Promise<T>): Promise<T>;
  queueDepth(): number;
  /** The status answer, given the SFTP server's part (the instance's). */
  status(sftp: SimulatorStatus['sftp']): SimulatorStatus;
  /** Stops what moves by itself (retention, output, pickup, processing); SFTP may still end uploads. */
  quiesce(): Promise<void>;
  /** Closes the database and the events; after quiesce() and after the SFTP sessions ended. */
  close(): Promise<void>;
}

/** Opens a world on its data dir (locked by the caller): the per-world half of the composition root. */
export async function openWorld(
  config: SimulatorConfig,
  clock: Clock,
  options: { durable?: boolean } = {},
): Promise<World> {
  const durable = options.durable ?? true;
  // Staging holds only uploads that never reached CLOSE; empty it first, so a disk that filled
  // up during an upload has room again before the database opens.
  const stateDir = storageLayout.stateDir(config);
  onUserPath({ path: config.dataDir, use: 'write', what: 'data dir' }, () =>
    rmSync(stagingDir(stateDir), { recursive: true, force: true }),
  );
  const db = openDatabase(stateDir, { durable });
  const pool = config.store ? await openPostgres(config.store.url).catch(closing(db)) : undefined;
  const shared = pool ? new SharedWorldCat(pool, db) : undefined;
  const mirror = pool && config.store ? new UploadMirror(pool, db, config.store.replica) : undefined;
  await mirror?.start().catch(closing(db));
  const workQueue =
    pool && mirror && config.store
      ? new SharedWorkQueue({
          pool,
          db,
          mirror,
          replica: config.store.replica,
          leaseMs: config.store.leaseMs,
        })
      : undefined;
  await workQueue?.start().catch(closing(db));
  if (!shared) dropCapture(db);
  if (!mirror) dropUploadCapture(db);
  /** Every WorldCat write: with a PostgreSQL store, one shared change under its lock (D105). */
  const worldcatWrite = <T>(write: () => T | Promise<T>, fileId?: number): Promise<T> =>
    shared
      ? shared.write(
          write,
          // A processed file leaves the shared queue in the transaction that commits it (D151).
          workQueue && fileId !== undefined ? (client) => workQueue.finish(client, fileId) : undefined,
        )
      : Promise.resolve().then(write);
  const worldcat = new WorldCatState(db, config.worldcat);
  worldcat.changes.watch(watchedSymbols(config));
  await worldcatWrite(async () => {
    rewindNumberCounters(db, config.worldcat);
    await worldcat.loadRecords(config.worldcat.records);
  });
  const events = new SimulatorEvents();
  const journal = new Journal(db, clock, config.journal.maxEntries);
  const detachJournal = journal.attach(events);
  const detachOutbox = recordOutbox(events);
  const webhooks = new Webhooks({
    hooks: config.notifications.webhooks,
    attempts: config.notifications.retry.attempts,
    backoffMs: config.notifications.retry.backoffMs,
    clock,
    events,
  });
  // From the journal, so a delivery carries the entry's id (the event stream's id).
  const detachWebhooks = journal.onRecord((entry) => webhooks.dispatch(entry));
  const store = new UploadStore(db, mirror ? () => mirror.nextId() : undefined);
  // Every upload change is an event; each one sends this replica's changes on to the others.
  const detachMirror = mirror
    ? events.onAny(() => {
        mirror.flush().catch(() => undefined);
      })
    : () => undefined;
  const stageLog = new FileStageLog(db, { clock, wallClock: systemClock });
  const detachStageLog = events.onAny((event, payload) => stageLog.recordEvent(event, payload));
  const intake = new UploadIntake({ store, events, clock, config });
  const faults = new FaultRules(events);
  const restoreFaults = (): void => {
    faults.clear();
    for (const rule of config.faults) faults.addRule(rule);
  };
  restoreFaults();
  const newQueue = (): ProcessingQueue =>
    new ProcessingQueue({
      config,
      store,
      events,
      clock,
      faults,
      merges: () => worldcat.records.merges(),
      exclusive: worldcatWrite,
      durable,
      db,
      ...(workQueue ? { shared: workQueue } : {}),
    });
  let processing = newQueue();
  processing.start();
  const retention = new Retention({ store, events, clock, retentionMs: config.retentionMs });
  retention.start();
  const ledger = new OutputLedger(db);
  const output = new RecordOutput({ config, worldcat, ledger, clock, events });
  output.start();
  const records = {
    get: (ocn: string) => worldcat.records.get(ocn),
    edit: async (ocn: string, record: MarcRecord) => {
      const stored = await worldcatWrite(() => worldcat.records.edit(ocn, record, clock.now()));
      events.emit('worldcat:edited', { ocn: stored.ocn });
      return stored;
    },
    merge: async (from: string, to: string) => {
      const merged = await worldcatWrite(() => worldcat.records.merge(from, to, clock.now()));
      events.emit('worldcat:merged', merged);
      return merged;
    },
  };
  intake.resume((record) => realPathOf(config, record.senderSymbol, record.folder, record.name));

  const tokens = new ApiTokens(clock);
  const files = {
    list: (filter?: Parameters<UploadStore['list']>[0]) => store.list(filter),
    find: (id: number) => store.find(id),
    listAll: async (filter?: Parameters<UploadStore['list']>[0]) =>
      mirror ? mirror.list(filter) : store.list(filter),
    findAny: async (id: number) => (mirror ? mirror.find(id) : store.find(id)),
    stages: (id: number) => stageLog.stages(id),
    outcomes: async (id: number, page: { offset?: number; limit?: number } = {}) => {
      // Another replica's file: its outcomes reach this working copy with WorldCat's next copy.
      if (mirror && !store.find(id)) await shared?.refresh();
      const file = (await files.findAny(id)) ?? store.get(id);
      const sender = config.institutions.find((i) => i.symbol === file.senderSymbol);
      const dir = sender ? reportsFolder(config.dataDir, sender) : config.dataDir;
      return fileOutcomes(db, file, dir, { offset: page.offset ?? 0, limit: page.limit ?? 1000 });
    },
    reportPath: async (id: number, report: string) => {
      const file = await files.findAny(id);
      const sender = config.institutions.find((i) => i.symbol === file?.senderSymbol);
      if (!file || !sender || !file.summary?.reports.includes(report)) return undefined;
      const path = join(reportsFolder(config.dataDir, sender), report);
      return existsSync(path) ? path : undefined;
    },
  };
  const reset = async (): Promise<void> => {
    intake.stop();
    await processing.stop();
    await output.stop();
    await worldcatWrite(async () => {
      resetState({ uploads: store, worldcat, journal, stages: stageLog }, config);
      await worldcat.loadRecords(config.worldcat.records);
    });
    ledger.reset();
    output.start();
    restoreFaults();
    processing = newQueue();
    processing.start();
    events.emit('simulator:reset', { at: new Date(clock.now()).toISOString() });
  };
  const status = (sftp: SimulatorStatus['sftp']): SimulatorStatus => ({
    status: 'ok',
    sftp,
    fileNames: config.fileNames,
    processing: config.processing,
    clock: config.clock,
    pickupDelayMs: config.pickupDelayMs,
    institutions: config.institutions.map((i) => ({
      symbol: i.symbol,
      accounts: [i.accounts.current, i.accounts.legacy],
      collections: i.collections.map((c) => ({ id: c.id, type: c.type })),
    })),
    now: new Date(clock.now()).toISOString(),
  });
  const quiesce = async (): Promise<void> => {
    retention.stop();
    await output.stop();
    intake.stop();
    await processing.stop();
  };
  const close = async (): Promise<void> => {
    detachWebhooks();
    await webhooks.stop();
    detachOutbox();
    detachJournal();
    detachStageLog();
    detachMirror();
    await mirror?.flush();
    await pool?.end();
    db.close();
    // Last: events stop() itself emits (an open upload recorded incomplete) still reach waiters.
    events.close();
  };
  return {
    config,
    clock,
    events,
    journal,
    faults,
    intake,
    tokens,
    files,
    store: {
      kind: pool ? 'postgres' : 'sqlite',
      refresh: () => shared?.refresh() ?? Promise.resolve(),
    },
    worldcat,
    output,
    records,
    metadataApi: { expireTokens: (filter?: { key?: string }) => tokens.expireAll(filter) },
    processing: { run: () => processing.run() },
    upload: (symbol: string, name: string, data: Buffer) =>
      uploadBytes({ intake, store, config }, findInstitution(config.institutions, symbol), name, data),
    space: (symbol: string) => intake.space(symbol),
    reset,
    worldcatWrite,
    queueDepth: () => store.count('queued'),
    status,
    quiesce,
    close,
  };
}

/** Closes the state database when a later start-up step fails, then lets the failure through. */
function closing(db: { close(): void }): (error: unknown) => never {
  return (error) => {
    db.close();
    throw error;
  };
}

/** Where a received-but-not-picked-up upload lives, found again after a restart. */
function realPathOf(
  config: SimulatorConfig,
  senderSymbol: string,
  folderPath: string,
  name: string,
): string | undefined {
  const sender = config.institutions.find((i) => i.symbol === senderSymbol);
  if (!sender) return undefined;
  const folder = new AccountTree(sender, config.institutions, config.dataDir).folder(folderPath);
  if (!folder?.realPath) return undefined;
  const path = join(folder.realPath, name);
  return existsSync(path) ? path : undefined;
}
