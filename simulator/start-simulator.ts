import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSyncError } from '../oclc/error-catalogue.ts';
import { ManualClock, systemClock, type Clock } from './clock/clock.ts';
import type { SimulatorConfig } from './config/simulator-config.ts';
import { Defender } from './sftp/defender.ts';
import { loadHostKeys, primaryHostKey, rotateHostKeys, type HostKey } from './sftp/host-keys.ts';
import { sshPersonality } from './sftp/ssh-personality.ts';
import { startSftpServer } from './sftp/sftp-server.ts';
import { storageLayout } from './storage/storage-layout.ts';
import { lockDataDir } from './storage/data-dir-lock.ts';
import { DEFAULT_NAMESPACE, InstanceMetrics } from './metrics/instance-metrics.ts';
import { NamespaceWorlds } from './namespace-worlds.ts';
import { openWorld, type World } from './open-world.ts';
import type { HostKeySummary, StartedSimulator, SimulatorStatus } from './started-simulator.ts';

type AdminAppModule = typeof import('./admin/admin-app.ts');
type MetadataApiModule = typeof import('./metadata-api/metadata-api-app.ts');

/** Options of `startSimulator`: the clock, and when to load the admin API's modules. */
export interface StartOptions {
  clock?: Clock;
  /**
   * Load the admin API's modules (express, the routes, the Metadata API mock) just after start,
   * so the first request is quick (default). `false` loads them at the first request instead: a
   * test simulator nobody asks does not spend its first upload's time compiling them.
   */
  loadAdminAtStart?: boolean;
  /**
   * `false` when the data dir is thrown away at stop (`startTestSimulator`'s own temporary one):
   * SQLite never waits for the disk to sync, as nothing has to survive a crash. Default true.
   */
  durable?: boolean;
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
    sim = await startOnLockedDataDir(config, clock, options);
  } catch (error) {
    lock.release();
    throw error;
  }
  const stop = (): Promise<void> => sim.stop().finally(() => lock.release());
  return { ...sim, stop, [Symbol.asyncDispose]: stop };
}

/**
 * The composition root's instance half: the default world, the namespaces' worlds, and what they
 * share (host keys, defender, SFTP server, admin port, metrics); open-world.ts composes a world.
 */
async function startOnLockedDataDir(
  config: SimulatorConfig,
  clock: Clock,
  options: StartOptions,
): Promise<StartedSimulator> {
  const loadAdminAtStart = options.loadAdminAtStart ?? true;
  const world = await openWorld(config, clock, { durable: options.durable ?? true });
  const { events } = world;
  let hostKeys: HostKey[];
  try {
    hostKeys = await loadHostKeys(
      config.dataDir,
      config.sftp.hostKeyFile,
      sshPersonality(config.sftp.personality).hostKeyTypes,
    );
  } catch (error) {
    await world.quiesce();
    await world.close();
    throw error;
  }
  const defender = new Defender({ config: config.sftp.defender, clock, events });
  const sftp = await startSftpServer({
    config,
    clock,
    defender,
    hostKeys,
    intake: world.intake,
    events,
    faults: world.faults,
  });
  const metrics = new InstanceMetrics();
  const unwatch = metrics.watch(DEFAULT_NAMESPACE, events, {
    queueDepth: () => world.queueDepth(),
    sessions: () => sftp.openSessions(''),
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
  const sftpStatus = (): SimulatorStatus['sftp'] => ({
    host: sftp.host,
    port: sftp.port,
    hostKeyFingerprint: primaryHostKey(hostKeys).fingerprint,
    hostKeys: summaries(hostKeys),
  });
  const status = (): SimulatorStatus => world.status(sftpStatus());
  const namespaces = new NamespaceWorlds({
    config,
    opened: ({ name, world: opened }) => {
      const { institutions, dataDir } = opened.config;
      const { intake, events: worldEvents, faults } = opened;
      sftp.addWorld(name, { institutions, dataDir, intake, events: worldEvents, faults });
      return metrics.watch(name, worldEvents, {
        queueDepth: () => opened.queueDepth(),
        sessions: () => sftp.openSessions(name),
      });
    },
    closing: ({ name }) => sftp.removeWorld(name),
  });
  const defenderView = { list: () => defender.list(), unban: (address: string) => defender.unban(address) };
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
  /** One world's two apps on one listener: OCLC's paths to the Metadata API mock, the rest to the admin API. */
  const worldApp = (served: World, scope: { namespace: string; token?: string }): Promise<RequestListener> =>
    loadAdminModules().then(([{ createAdminApp }, { createMetadataApiApp, isMetadataApiPath }]) => {
      const apiApp = createMetadataApiApp({
        config: served.config,
        clock: served.clock,
        events: served.events,
        worldcat: served.worldcat,
        faults: served.faults,
        tokens: served.tokens,
        worldcatWrite: served.worldcatWrite,
      });
      const inNamespace = scope.token !== undefined;
      const admin = createAdminApp(
        {
          ...served,
          status: () => served.status(sftpStatus()),
          defender: defenderView,
          // Host keys are the instance's: a namespace sees them but cannot rotate them.
          sftp: inNamespace ? { ...sftpView, rotateHostKey: instanceOnly('rotate the host keys') } : sftpView,
          metrics,
          namespaces: inNamespace ? undefined : namespaces,
        },
        scope,
      );
      return (req, res) => (isMetadataApiPath(req.url ?? '') ? apiApp(req, res) : admin(req, res));
    });
  let adminApp: Promise<RequestListener> | undefined;
  const namespaceApps = new Map<string, Promise<RequestListener>>();
  const route = (req: IncomingMessage): Promise<RequestListener> | undefined => {
    const scoped = splitNamespacePath(req.url ?? '');
    if (!scoped) return (adminApp ??= worldApp(world, { namespace: DEFAULT_NAMESPACE }));
    const namespace = namespaces.get(scoped.name);
    if (!namespace) return undefined;
    req.url = scoped.rest;
    let app = namespaceApps.get(namespace.name);
    if (!app) {
      app = worldApp(namespace.world, { namespace: namespace.name, token: namespace.token });
      namespaceApps.set(namespace.name, app);
    }
    return app;
  };
  let adminServer: Server | undefined;
  try {
    await namespaces.openSaved();
    adminServer = await listen(
      createServer((req, res) => {
        const app = route(req);
        if (!app) {
          unknownNamespace(res);
          return;
        }
        app.then(
          (handle) => handle(req, res),
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
    await namespaces.quiesceAll();
    await world.quiesce();
    await sftp.close();
    await namespaces.closeAll();
    await unwatch();
    metrics.stop();
    await world.close();
    throw error;
  }
  const adminPort = (adminServer.address() as AddressInfo).port;

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await adminModules?.catch(() => undefined);
      await adminApp?.catch(() => undefined);
      await Promise.all([...namespaceApps.values()].map((app) => app.catch(() => undefined)));
      await namespaces.quiesceAll();
      await world.quiesce();
      await sftp.close();
      await new Promise<void>((resolve) => {
        adminServer?.closeAllConnections();
        adminServer?.close(() => resolve());
      });
      await namespaces.closeAll();
      await unwatch();
      metrics.stop();
      await world.close();
    })();
    return stopped;
  };

  return {
    config,
    sftp: sftpView,
    faults: world.faults,
    admin: { host: config.admin.host, port: adminPort },
    adminUrl: `http://${urlHost(config.admin.host)}:${adminPort}`,
    clock,
    events,
    journal: world.journal,
    files: world.files,
    store: world.store,
    worldcat: world.worldcat,
    output: world.output,
    records: world.records,
    metadataApi: world.metadataApi,
    processing: world.processing,
    defender: defenderView,
    space: world.space,
    upload: world.upload,
    reset: world.reset,
    namespaces,
    status,
    metrics,
    waitFor: events.waitFor.bind(events),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** `/ns/{name}/rest` as the name and `/rest`; undefined for any other path. */
function splitNamespacePath(url: string): { name: string; rest: string } | undefined {
  const match = /^\/ns\/([^/?#]+)(\/[^]*)?$/.exec(url);
  if (!match?.[1]) return undefined;
  return { name: match[1], rest: match[2] ?? '/' };
}

/**
 * A path under /ns/ naming no namespace. Answered as the admin API's missing token is, so a
 * namespace's token cannot learn which other namespaces exist.
 */
function unknownNamespace(res: ServerResponse): void {
  const error = new DataSyncError('ADMIN_UNAUTHORIZED', {
    request: 'a namespace path',
    reason: 'there is no such namespace or the token is not its own (GET /api/namespaces lists them)',
  });
  res.statusCode = error.definition.http;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ error: { code: error.code, message: error.message } }));
}

function instanceOnly(action: string): () => never {
  return () => {
    throw new DataSyncError('NAMESPACE_REFUSED', {
      action,
      name: 'this',
      reason: "it is the instance's; call the same route under /api/ with the instance token",
    });
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

/** What clients and the admin API see of the host keys (never the private halves). */
function summaries(keys: readonly HostKey[]): HostKeySummary[] {
  return keys.map(({ type, fingerprint, publicKey }) => ({ type, fingerprint, publicKey }));
}

function fingerprints(keys: readonly HostKey[]): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [key.type, key.fingerprint]));
}
