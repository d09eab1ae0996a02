import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import ssh2 from 'ssh2';
import type { AuthContext, Connection, ParsedKey } from 'ssh2';
import { parseDuration } from '../../oclc/duration.ts';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import type { Institution, SimulatorConfig } from '../config/simulator-config.ts';
import type { Clock } from '../clock/clock.ts';
import type { SimulatorEvents } from '../events/simulator-events.ts';
import type { FaultRules } from '../faults/fault-rules.ts';
import type { Defender } from './defender.ts';
import { SshLimits, type ConnectionLimits } from './ssh-limits.ts';
import { AccountTree } from '../storage/account-tree.ts';
import { answerRepeatedServiceRequests } from './answer-service-requests.ts';
import { HandleBudget } from './handle-budget.ts';
import type { HostKey } from './host-keys.ts';
import { serveSftpChannel, type SubsystemChannel } from './protocol/serve-sftp-channel.ts';
import { PERSONALITIES } from './protocol/sftp-personality.ts';
import { sshPersonality } from './ssh-personality.ts';
import { looksLikeProxyHeader, readProxyHeader, type Peer } from './proxy-header.ts';
import { resolveLogin } from './resolve-login.ts';
import { sendAuthBanner } from './send-auth-banner.ts';
import { SftpOperations } from './sftp-operations.ts';
import type { UploadIntake } from '../intake/upload-intake.ts';
import { splitLoginName, type SftpWorld } from './sftp-world.ts';

export interface SftpServerDeps {
  config: SimulatorConfig;
  clock: Clock;
  defender: Defender;
  /** Offered in this order (sshd's `HostKey` order); see ssh-personality.ts. */
  hostKeys: readonly HostKey[];
  intake: UploadIntake;
  events: SimulatorEvents;
  faults: FaultRules;
}

export interface RunningSftpServer {
  host: string;
  port: number;
  /** SFTP sessions open now (the metrics' gauge), in one namespace or (without one) the default's. */
  openSessions(namespace?: string): number;
  /** Serves a namespace's world to logins `<account>+<namespace>`; throws on a bad public key. */
  addWorld(namespace: string, world: SftpWorld): void;
  /** Stops serving a namespace: its connections end, their open uploads marked incomplete. */
  removeWorld(namespace: string): Promise<void>;
  /** New connections are offered these keys; open sessions keep theirs. */
  useHostKeys(hostKeys: readonly HostKey[]): void;
  close(): Promise<void>;
}

export async function startSftpServer(deps: SftpServerDeps): Promise<RunningSftpServer> {
  const { config, events } = deps;
  /** Each world served: the default under '', namespaces by name (issue 26). */
  const worlds = new Map<string, ServedWorld>();
  const serve = (namespace: string, world: SftpWorld): void => {
    const trees = new Map(
      world.institutions.map((inst) => [
        inst.symbol,
        new AccountTree(inst, world.institutions, world.dataDir),
      ]),
    );
    const keys = new Map(world.institutions.map((inst) => [inst.symbol, parsePublicKeys(inst)]));
    for (const tree of trees.values()) tree.materialise();
    worlds.set(namespace, { world, trees, keys, sessions: 0, connections: new Set() });
  };
  serve('', {
    institutions: config.institutions,
    dataDir: config.dataDir,
    intake: deps.intake,
    events,
    faults: deps.faults,
  });
  /** Each live connection and a promise that settles once its clean-up (open uploads marked
   * incomplete) has run; close() waits for these so the database outlives them. */
  const connections = new Map<Connection, Promise<void>>();

  const limits = new SshLimits({ config, clock: deps.clock, events, defender: deps.defender });
  /** Each admitted socket's limits and its client (from the PROXY header when there is one). */
  const admitted = new WeakMap<object, { guard: ConnectionLimits; peer: Peer }>();
  // OCLC runs OpenSSH 7.4; clients such as WinSCP pick workarounds from the ident string.
  const personality = PERSONALITIES[config.sftp.personality];
  const { algorithms } = sshPersonality(config.sftp.personality);
  let sessions = 0;
  let openSessions = 0;
  const handleBudget = new HandleBudget(config.sftp.maxHandles);

  const onConnection = (client: Connection): void => {
    const entry = admitted.get(socketOf(client) ?? {});
    if (!entry) {
      socketOf(client)?.destroy();
      return;
    }
    const { guard, peer } = entry;
    const address = `${peer.ip}:${peer.port}`;
    connections.set(client, new Promise((resolve) => client.once('close', () => resolve())));
    // paramiko asks for ssh-userauth before each attempt; OpenSSH answers each time, ssh2 once.
    answerRepeatedServiceRequests(client);
    // A refusal is two small packets (stderr text, then STATUS); Nagle would hold the second for
    // the peer's delayed ACK, adding ~40 ms to every refused operation.
    (client as Connection & { setNoDelay(noDelay: boolean): void }).setNoDelay(true);
    let login: { institution: Institution; account: string; served: ServedWorld; key: string } | undefined;
    /** Each open SFTP session's ending; one 'close' listener runs them all, however many sessions
     * a connection opens (a listener per session crossed Node's limit of 10 with a warning). */
    const sessionEnds = new Set<() => void>();
    client.once('close', () => {
      for (const endSession of [...sessionEnds]) endSession();
    });
    const explained = new Set<string>();
    client.on('authentication', (ctx) => {
      if (guard.banned()) {
        ctx.reject([]);
        socketOf(client)?.destroy();
        return;
      }
      const name = splitLoginName(ctx.username);
      const served = worlds.get(name.namespace ?? '');
      // An unknown namespace is refused as an unknown account is, in the default world's journal.
      const events = served?.world.events ?? deps.events;
      const resolved = served
        ? resolveLogin(name.account, served.world.institutions)
        : ({ ok: false, reason: 'no such account', explanation: undefined } as const);
      if (!resolved.ok) {
        if (resolved.explanation && !explained.has(ctx.username)) {
          explained.add(ctx.username);
          sendAuthBanner(client, resolved.explanation);
        }
        // The same work and answer as a wrong password, so the two cannot be told apart.
        if (ctx.method === 'password') sameSecret(ctx.password, UNKNOWN_USER_SECRET);
        if (ctx.method !== 'none')
          events.emit('auth:refused', { user: ctx.username, method: ctx.method, reason: resolved.reason });
        ctx.reject(['password', 'publickey']);
        if (ctx.method !== 'none') guard.authFailed(ctx.username);
        return;
      }
      const verdict = authenticate(
        ctx,
        resolved.institution,
        served?.keys.get(resolved.institution.symbol) ?? [],
      );
      if (verdict === 'key-acceptable') {
        ctx.accept();
        return;
      }
      const fault =
        verdict === 'accepted'
          ? served?.world.faults.take({ operation: 'login', account: resolved.account })
          : undefined;
      if (fault && 'refuse' in fault) {
        events.emit('auth:refused', {
          user: ctx.username,
          method: ctx.method,
          reason: 'refused by a fault rule',
        });
        ctx.reject(['password', 'publickey']);
        return;
      }
      const answer = (): void => {
        if (verdict === 'accepted') {
          if (!served) return;
          // Session limits count an account per namespace: fx_pul and fx_pul+team-a are two.
          login = { ...resolved, served, key: ctx.username };
          served.connections.add(client);
          client.once('close', () => served.connections.delete(client));
          events.emit('auth:accepted', {
            account: resolved.account,
            symbol: resolved.institution.symbol,
            method: ctx.method,
          });
          ctx.accept();
          return;
        }
        const reason = REFUSAL_REASONS[ctx.method];
        if (reason) events.emit('auth:refused', { user: ctx.username, method: ctx.method, reason });
        ctx.reject(['password', 'publickey']);
        if (ctx.method !== 'none') guard.authFailed(ctx.username);
      };
      if (fault && 'delay' in fault) setTimeout(answer, parseDuration(fault.delay) ?? 0);
      else answer();
    });
    client.on('ready', () => {
      guard.authenticated();
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        // Without an 'sftp' listener ssh2 hands over the raw subsystem channel: our own packet
        // layer speaks SFTP, so it can advertise OpenSSH's extensions.
        session.on('subsystem', (accept, reject, info: { name: string }) => {
          const tree = login?.served.trees.get(login.institution.symbol);
          if (!login || !tree || info.name !== 'sftp') {
            reject();
            return;
          }
          const account = login.account;
          const world = login.served;
          const { events, faults, intake } = world.world;
          const release = guard.openSession(login.key);
          if (!release) {
            reject();
            return;
          }
          const session = ++sessions;
          const channel = accept() as unknown as SubsystemChannel & {
            stderr: { write(data: string): void };
            once(event: 'close', listener: () => void): void;
          };
          const served = serveSftpChannel(channel, {
            personality,
            maxFileSize: config.sftp.maxFileSize,
            backend: guard.watch(
              new SftpOperations({ tree, intake, account, handles: handleBudget.session() }),
            ),
            takeFault: (call, applies) => {
              const action = faults.take({ ...call, account }, applies);
              return action ? { action } : undefined;
            },
            record: (entry) => events.emit('sftp:operation', { session, account, address, ...entry }),
            // OpenSSH's sftp prints only a status code's generic text, but passes stderr through.
            explain: (message) => channel.stderr.write(`${message}\n`),
            denied: (error, operation, path) => {
              channel.stderr.write(`${error.message}\n`);
              events.emit('sftp:denied', {
                account,
                operation: operation.toUpperCase(),
                path,
                code: error.code,
                message: error.message,
              });
            },
            drop: () => socketOf(client)?.destroy(),
          });
          openSessions += 1;
          world.sessions += 1;
          let open = true;
          const closeSession = (): void => {
            if (open) {
              openSessions -= 1;
              world.sessions -= 1;
            }
            open = false;
            release();
          };
          // Open uploads are marked incomplete before close() lets the database go.
          const endSession = (): void => {
            sessionEnds.delete(endSession);
            closeSession();
            served.end();
          };
          sessionEnds.add(endSession);
          channel.once('close', endSession);
        });
      });
    });
    client.on('error', () => {
      // A client that vanishes mid-handshake is normal on an exchange server; 'close' cleans up.
    });
    client.on('close', () => connections.delete(client));
  };

  const sshServer = (hostKeys: readonly HostKey[]): ssh2.Server =>
    new ssh2.Server(
      {
        hostKeys: hostKeys.map((key) => key.privateKey),
        ident: personality.ident,
        ...(algorithms ? { algorithms } : {}),
      },
      onConnection,
    );
  let ssh = sshServer(deps.hostKeys);
  // A plain TCP listener hands each socket to the current ssh2 server, so rotating the host key
  // swaps the server without closing the port. Limits start at TCP accept, before ssh2 has read
  // the client's version line, so a peer that never speaks is held to loginGraceTime and counted
  // against maxConnections too. Behind a load balancer (sftp.proxyProtocol) they start once its
  // PROXY header has said who the client is.
  const admit = (socket: Socket, peer: Peer): void => {
    const guard = limits.admit({ drop: () => socket.destroy() }, peer.ip);
    if (!guard) return;
    admitted.set(socket, { guard, peer });
    socket.once('close', () => guard.closed());
    ssh.injectSocket(socket);
  };
  const server = createServer((socket: Socket) => {
    const own = { ip: socket.remoteAddress ?? 'unknown', port: socket.remotePort ?? 0 };
    const refuse = (reason: string): void => {
      events.emit('sftp:limited', { address: own.ip, limit: 'proxyProtocol', reason });
      socket.destroy();
    };
    if (config.sftp.proxyProtocol) {
      readProxyHeader(socket).then(
        (announced) => admit(socket, announced ?? own),
        (error: Error) => refuse(error.message),
      );
      return;
    }
    admit(socket, own);
    // ssh2 would only drop it as a "greeting"; say why, so a load balancer's operator sees it.
    socket.prependOnceListener('data', (chunk: Buffer) => {
      if (looksLikeProxyHeader(chunk)) refuse(PROXY_HEADER_UNEXPECTED);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: Error) =>
      reject(
        new DataSyncError('LISTEN_FAILED', {
          service: 'sftp',
          address: `${config.sftp.host}:${config.sftp.port}`,
          reason: error.message,
        }),
      ),
    );
    server.listen(config.sftp.port, config.sftp.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    host: config.sftp.host,
    port: address.port,
    openSessions: (namespace) =>
      namespace === undefined ? openSessions : (worlds.get(namespace)?.sessions ?? 0),
    addWorld: (namespace, world) => serve(namespace, world),
    removeWorld: async (namespace) => {
      const served = worlds.get(namespace);
      worlds.delete(namespace);
      if (!served) return;
      await Promise.all(
        [...served.connections].map((client) => endConnection(client, connections.get(client))),
      );
    },
    useHostKeys: (hostKeys) => {
      ssh = sshServer(hostKeys);
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(
        [...connections].map(([client, clientClosed]) => endConnection(client, clientClosed)),
      );
      await closed;
    },
  };
}

const CLOSE_GRACE_MS = 2_000;

/** A world as the server serves it: account trees, parsed keys, and who is logged in to it. */
interface ServedWorld {
  world: SftpWorld;
  trees: Map<string, AccountTree>;
  keys: Map<string, ParsedKey[]>;
  sessions: number;
  connections: Set<Connection>;
}

/** Ends a connection and waits for its clean-up; a peer that never answers is cut after a grace. */
function endConnection(client: Connection, clientClosed: Promise<void> | undefined): Promise<void> {
  client.end();
  const timer = setTimeout(() => socketOf(client)?.destroy(), CLOSE_GRACE_MS);
  return (clientClosed ?? Promise.resolve()).finally(() => clearTimeout(timer));
}

const PROXY_HEADER_UNEXPECTED =
  'a PROXY protocol header arrived, but sftp.proxyProtocol is off: turn it on when a load balancer sends one';

/** Why a known account's attempt was refused, per method; `none` is a probe, not an attempt. */
const REFUSAL_REASONS: Partial<Record<string, string>> = {
  password: 'wrong password',
  publickey: 'key not accepted for this account',
  'keyboard-interactive': 'method not offered',
  hostbased: 'method not offered',
};

/** Compared against for unknown users, so their answer takes as long as a wrong password's. */
const UNKNOWN_USER_SECRET = 'datasync-sim: no such account';

/** ssh2 keeps the TCP socket private; shutdown needs it only to cut a peer that does not answer. */
function socketOf(client: Connection): Socket | undefined {
  return (client as Connection & { _sock?: Socket })._sock;
}

function authenticate(
  ctx: AuthContext,
  institution: Institution,
  keys: readonly ParsedKey[],
): 'accepted' | 'key-acceptable' | 'refused' {
  if (ctx.method === 'password') {
    const ok = institution.password !== undefined && sameSecret(ctx.password, institution.password);
    return ok ? 'accepted' : 'refused';
  }
  if (ctx.method === 'publickey') {
    const key = keys.find((k) => k.type === ctx.key.algo && k.getPublicSSH().equals(ctx.key.data));
    if (!key) return 'refused';
    // Without a signature the client only asks whether this key would be accepted.
    if (!ctx.signature || !ctx.blob) return 'key-acceptable';
    return key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true ? 'accepted' : 'refused';
  }
  return 'refused';
}

/** Compares digests so the comparison time does not depend on where the strings differ. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function parsePublicKeys(institution: Institution): ParsedKey[] {
  return institution.publicKeys.map((line, index) => {
    const parsed = ssh2.utils.parseKey(line);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (!key || key instanceof Error) {
      const reason = key instanceof Error ? key.message : 'no key found';
      throw new DataSyncError('CONFIG_INVALID', {
        source: 'configuration',
        problems: `institutions ${institution.symbol}: publicKeys[${index}] is not an OpenSSH public key line (${reason})`,
      });
    }
    return key;
  });
}
