import { existsSync, rmSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DataSyncError } from '../oclc/error-catalogue.ts';
import { onUserPath } from '../oclc/file-system-error.ts';
import { findInstitution } from './config/find-institution.ts';
import { ManualClock, systemClock, type Clock } from './clock/clock.ts';
import { rewindNumberCounters } from './worldcat/number-blocks.ts';
import { ProcessingQueue } from './processing/processing-queue.ts';
import { WorldCatState } from './worldcat/worldcat-state.ts';
import type { SimulatorConfig } from './config/simulator-config.ts';
import { SimulatorEvents } from './events/simulator-events.ts';
import { Journal } from './journal/journal.ts';
import { AccountTree, reportsFolder } from './storage/account-tree.ts';
import { fileOutcomes } from './reports/file-outcomes.ts';
import { Defender } from './sftp/defender.ts';
import { FaultRules } from './faults/fault-rules.ts';
import { loadHostKeys, primaryHostKey, rotateHostKeys, type HostKey } from './sftp/host-keys.ts';
import { sshPersonality } from './sftp/ssh-personality.ts';
import { startSftpServer } from './sftp/sftp-server.ts';
import { uploadBytes } from './intake/upload-bytes.ts';
import { Retention } from './intake/retention.ts';
import { UploadIntake, stagingDir } from './intake/upload-intake.ts';
import { openDatabase } from './storage/open-database.ts';
import { storageLayout } from './storage/storage-layout.ts';
import { openPostgres } from './storage/open-postgres.ts';
import { dropCapture, SharedWorldCat } from './worldcat/shared-worldcat.ts';
import { dropUploadCapture, UploadMirror } from './storage/upload-mirror.ts';
import { lockDataDir } from './storage/data-dir-lock.ts';
import { resetState } from './reset-state.ts';
import { ApiTokens } from './metadata-api/api-tokens.ts';
import { RecordOutput, watchedSymbols } from './output/index.ts';
import { recordOutbox, Webhooks } from './notifications/index.ts';
import { OutputLedger } from './storage/output-ledger.ts';
import type { MarcRecord } from '../oclc/marc/marc-record.ts';
import { UploadStore } from './storage/upload-store.ts';
import { FileStageLog } from './storage/file-stage-log.ts';
import { DEFAULT_NAMESPACE, InstanceMetrics } from './metrics/instance-metrics.ts';
import type { HostKeySummary, StartedSimulator, SimulatorStatus } from './started-simulator.ts';

type AdminAppModule = typeof import('./admin/admin-app.ts');
type MetadataApiModule = typeof import('./metadata-api/metadata-api-app.ts');

export interface StartOptions {
  clock?: Clock;
  /**
   * Load the admin API's modules (express, the routes, the Metadata API mock) just after start,
   * so the first request is quick (default). `false` loads them at the first request instead: a
   * test simulator nobody asks does not spend its first upload's time compiling them.
   */
  loadAdminAtStart?: boolean;
}

/**
 * Starts a simulator on its data dir, which it locks first: a second server on the same dir
 * would delete the first one's uploads in its start-up clean-up and write the same database.
 */
export async function startSimulator(
  config: SimulatorConfig,
  options: StartOptions = {},
): Promise<StartedSimulator> {
  const clock =
    options.clock ?? (config.clock === 'manual' ? new ManualClock(systemClock.now()) : systemClock);
  // With a PostgreSQL store the replicas share the data dir; each locks its own part of it.
  const lock = lockDataDir(storageLayout.stateDir(config), new Date(clock.now()).toISOString());
  let sim: StartedSimulator;
  try {
    sim = await startOnLockedDataDir(config, clock, options.loadAdminAtStart ?? true);
  } catch (error) {
    lock.release();
    throw error;
  }
  const stop = (): Promise<void> => sim.stop().finally(() => lock.release());
  return { ...sim, stop, [Symbol.asyncDispose]: stop };
}

/** The composition root: config → store → WorldCat → intake → processing → SFTP server → admin API. */
async function startOnLockedDataDir(
  config: SimulatorConfig,
  clock: Clock,
  loadAdminAtStart: boolean,
): Promise<StartedSimulator> {
  // Staging holds only uploads that never reached CLOSE; empty it first, so a disk that filled
  // up during an upload has room again before the database opens.
  const stateDir = storageLayout.stateDir(config);
  onUserPath({ path: config.dataDir, use: 'write', what: 'data dir' }, () =>
    rmSync(stagingDir(stateDir), { recursive: true, force: true }),
  );
  const db = openDatabase(stateDir);
  const pool = config.store ? await openPostgres(config.store.url).catch(closing(db)) : undefined;
  const shared = pool ? new SharedWorldCat(pool, db) : undefined;
  const mirror = pool && config.store ? new UploadMirror(pool, db, config.store.replica) : undefined;
  await mirror?.start().catch(closing(db));
  if (!shared) dropCapture(db);
  if (!mirror) dropUploadCapture(db);
  /** Every WorldCat write: with a PostgreSQL store, one shared change under its lock (D105). */
  const worldcatWrite = <T>(write: () => T | Promise<T>): Promise<T> =>
    shared ? shared.write(write) : Promise.resolve().then(write);
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
  let hostKeys = await loadHostKeys(
    config.dataDir,
    config.sftp.hostKeyFile,
    sshPersonality(config.sftp.personality).hostKeyTypes,
  );
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

  const defender = new Defender({ config: config.sftp.defender, clock, events });
  const sftp = await startSftpServer({ config, clock, defender, hostKeys, intake, events, faults });
  const metrics = new InstanceMetrics();
  const unwatch = metrics.watch(DEFAULT_NAMESPACE, events, {
    queueDepth: () => store.count('queued'),
    sessions: () => sftp.openSessions(),
  });
  const rotate = (): { fingerprint: string; publicKey: string; hostKeys: HostKeySummary[] } => {
    hostKeys = rotateHostKeys(config.dataDir, config.sftp.hostKeyFile, hostKeys);
    sftp.useHostKeys(hostKeys);
    const primary = primaryHostKey(hostKeys);
    events.emit('host-key:rotated', {
      fingerprint: primary.fingerprint,
      fingerprints: fingerprints(hostKeys),
    });
    return { fingerprint: primary.fingerprint, publicKey: primary.publicKey, hostKeys: summaries(hostKeys) };
  };
  const sftpView = {
    host: sftp.host,
    port: sftp.port,
    get hostKeyFingerprint() {
      return primaryHostKey(hostKeys).fingerprint;
    },
    get hostPublicKey() {
      return primaryHostKey(hostKeys).publicKey;
    },
    get hostKeys() {
      return summaries(hostKeys);
    },
    rotateHostKey: rotate,
  };
  const tokens = new ApiTokens(clock);
  const metadataApi = { expireTokens: (filter?: { key?: string }) => tokens.expireAll(filter) };
  let adminServer: Server | undefined;
  const status = (): SimulatorStatus => ({
    status: 'ok',
    sftp: {
      host: sftp.host,
      port: sftp.port,
      hostKeyFingerprint: primaryHostKey(hostKeys).fingerprint,
      hostKeys: summaries(hostKeys),
    },
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
  const run = { run: () => processing.run() };
  const storeView = {
    kind: pool ? ('postgres' as const) : ('sqlite' as const),
    refresh: () => shared?.refresh() ?? Promise.resolve(),
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
  const upload = (symbol: string, name: string, data: Buffer) =>
    uploadBytes({ intake, store, config }, findInstitution(config.institutions, symbol), name, data);
  // The admin server listens at once; express and the routes (about a fifth of `serve`'s start-up)
  // load just after the caller has its simulator (with loadAdminAtStart false, at the first
  // request). The apps themselves are built at the first request (a few ms): a test simulator that
  // is never asked builds none, and its stop waits for nothing. The Metadata API mock shares the
  // port: OCLC's paths go to it, every other path to the admin API.
  let adminModules: Promise<[AdminAppModule, MetadataApiModule]> | undefined;
  const loadAdminModules = (): Promise<[AdminAppModule, MetadataApiModule]> =>
    (adminModules ??= Promise.all([
      import('./admin/admin-app.ts'),
      import('./metadata-api/metadata-api-app.ts'),
    ]));
  if (loadAdminAtStart)
    setImmediate(() => {
      loadAdminModules().catch(() => undefined);
    });
  let adminApp: Promise<RequestListener> | undefined;
  const buildAdminApp = (): Promise<RequestListener> =>
    (adminApp ??= loadAdminModules().then(
      ([{ createAdminApp }, { createMetadataApiApp, isMetadataApiPath }]) => {
        const apiApp = createMetadataApiApp({
          config,
          clock,
          events,
          worldcat,
          faults,
          tokens,
          worldcatWrite,
        });
        const admin = createAdminApp({
          upload,
          files,
          store: storeView,
          journal,
          events,
          status,
          worldcat,
          processing: run,
          clock,
          config,
          reset,
          output,
          records,
          defender,
          faults,
          sftp: sftpView,
          metadataApi,
          metrics,
        });
        return (req, res) => (isMetadataApiPath(req.url ?? '') ? apiApp(req, res) : admin(req, res));
      },
    ));
  try {
    adminServer = await listen(
      createServer((req, res) => {
        buildAdminApp().then(
          (app) => app(req, res),
          (error: unknown) => {
            res.statusCode = 500;
            res.end(`admin API failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
          },
        );
      }),
      config.admin.host,
      config.admin.port,
    );
  } catch (error) {
    await processing.stop();
    await sftp.close();
    await pool?.end();
    metrics.stop();
    db.close();
    throw error;
  }
  const adminPort = (adminServer.address() as AddressInfo).port;

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await adminModules?.catch(() => undefined);
      await adminApp?.catch(() => undefined);
      retention.stop();
      await output.stop();
      intake.stop();
      await processing.stop();
      await sftp.close();
      await new Promise<void>((resolve) => {
        adminServer?.closeAllConnections();
        adminServer?.close(() => resolve());
      });
      detachWebhooks();
      await webhooks.stop();
      detachOutbox();
      detachJournal();
      detachStageLog();
      detachMirror();
      await mirror?.flush();
      await pool?.end();
      await unwatch();
      metrics.stop();
      db.close();
      // Last: events stop() itself emits (an open upload recorded incomplete) still reach waiters.
      events.close();
    })();
    return stopped;
  };

  return {
    config,
    sftp: sftpView,
    faults,
    admin: { host: config.admin.host, port: adminPort },
    adminUrl: `http://${urlHost(config.admin.host)}:${adminPort}`,
    clock,
    events,
    journal,
    files,
    store: storeView,
    worldcat,
    output,
    records,
    metadataApi,
    processing: run,
    defender: { list: () => defender.list(), unban: (address: string) => defender.unban(address) },
    space: (symbol: string) => intake.space(symbol),
    upload,
    reset,
    status,
    metrics,
    waitFor: events.waitFor.bind(events),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** Closes the state database when a later start-up step fails, then lets the failure through. */
function closing(db: { close(): void }): (error: unknown) => never {
  return (error) => {
    db.close();
    throw error;
  };
}

function listen(server: Server, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', (error: Error) =>
      reject(
        new DataSyncError('LISTEN_FAILED', {
          service: 'admin',
          address: `${host}:${port}`,
          reason: error.message,
        }),
      ),
    );
  });
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
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

/** What clients and the admin API see of the host keys (never the private halves). */
function summaries(keys: readonly HostKey[]): HostKeySummary[] {
  return keys.map(({ type, fingerprint, publicKey }) => ({ type, fingerprint, publicKey }));
}

function fingerprints(keys: readonly HostKey[]): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [key.type, key.fingerprint]));
}
