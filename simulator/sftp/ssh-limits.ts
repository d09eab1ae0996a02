import type { Clock, Timer } from '../clock/clock.ts';
import type { SimulatorConfig } from '../config/simulator-config.ts';
import type { SimulatorEvents } from '../events/simulator-events.ts';
import type { Defender } from './defender.ts';

/** What the limits need of a connection: a way to close it at once. */
export interface LimitedConnection {
  drop(): void;
}

/** The limits of one connection, from TCP accept to close. */
export interface ConnectionLimits {
  /** Whether its address is banned now (checked again at each login attempt). */
  banned(): boolean;
  /** A failed login: counts towards maxAuthTries and the defender, closing when either says so. */
  authFailed(user: string): void;
  /** Logged in: the login grace timer stops and the idle timer starts. */
  authenticated(): void;
  /** An SFTP session for an account; returns its release, or undefined when the account is full. */
  openSession(account: string): (() => void) | undefined;
  /** Wraps a session's operations so every SFTP request counts as activity. */
  watch<T extends object>(operations: T): T;
  closed(): void;
}

/**
 * OpenSSH's limits, measured on the simulator clock: LoginGraceTime, MaxAuthTries, a cap on
 * connections at once (MaxStartups, without its random early drop), a cap on connections not yet
 * logged in per address (PerSourceMaxStartups), sessions per account (per
 * account rather than OpenSSH's per connection, since one account's many connections are what
 * crowd a shared instance), an idle timeout on SFTP requests, and the defender's bans.
 */
export class SshLimits {
  readonly #config: SimulatorConfig['sftp'];
  readonly #clock: Clock;
  readonly #events: SimulatorEvents;
  readonly #defender: Defender;
  readonly #sessions = new Map<string, number>();
  /** Connections not yet logged in, per address. */
  readonly #startups = new Map<string, number>();
  #connections = 0;

  constructor(deps: { config: SimulatorConfig; clock: Clock; events: SimulatorEvents; defender: Defender }) {
    this.#config = deps.config.sftp;
    this.#clock = deps.clock;
    this.#events = deps.events;
    this.#defender = deps.defender;
  }

  /** A new TCP connection: its limits, or undefined when it was refused (and already dropped). */
  admit(connection: LimitedConnection, address: string): ConnectionLimits | undefined {
    const refuse = (limit: string, reason: string): undefined => {
      connection.drop();
      this.#events.emit('sftp:limited', { address, limit, reason });
      return undefined;
    };
    if (this.#defender.banned(address)) return refuse('defender', 'the address is banned by the defender');
    if (this.#connections >= this.#config.maxConnections) {
      return refuse('maxConnections', `${this.#config.maxConnections} connections are open already`);
    }
    const startups = this.#startups.get(address) ?? 0;
    if (startups >= this.#config.maxStartupsPerAddress) {
      // As SFTPGo's defender scores a per-host limit hit: a flood from one address ends in a ban.
      this.#defender.failed(address);
      return refuse(
        'maxStartupsPerAddress',
        `${startups} connections from this address have not logged in yet`,
      );
    }
    this.#connections++;
    this.#startups.set(address, startups + 1);
    return this.#limitsFor(connection, address);
  }

  /** Ends one of the address's startups (logged in, or closed before that). */
  #started(address: string): void {
    const left = (this.#startups.get(address) ?? 1) - 1;
    if (left > 0) this.#startups.set(address, left);
    else this.#startups.delete(address);
  }

  #limitsFor(connection: LimitedConnection, address: string): ConnectionLimits {
    const config = this.#config;
    let failures = 0;
    let closed = false;
    let starting = true;
    const started = (): void => {
      if (starting) this.#started(address);
      starting = false;
    };
    let lastActivity = this.#clock.now();
    let timer: Timer | undefined;
    const close = (limit: string, reason: string, user?: string): void => {
      if (closed) return;
      this.#events.emit('sftp:limited', { address, limit, reason, ...(user ? { user } : {}) });
      connection.drop();
    };
    timer = this.#clock.setTimer(config.loginGraceTimeMs, () =>
      close('loginGraceTime', `not logged in within ${Math.round(config.loginGraceTimeMs / 1000)} s`),
    );
    const armIdle = (delay: number): void => {
      timer = this.#clock.setTimer(delay, () => {
        const idle = this.#clock.now() - lastActivity;
        if (idle >= config.idleTimeoutMs)
          close('idleTimeout', `no SFTP request for ${Math.round(idle / 1000)} s`);
        else armIdle(config.idleTimeoutMs - idle);
      });
    };
    return {
      banned: () => this.#defender.banned(address),
      authFailed: (user) => {
        failures++;
        if (this.#defender.failed(address))
          close('defender', 'the address is now banned by the defender', user);
        else if (failures >= config.maxAuthTries)
          close('maxAuthTries', `${failures} failed login attempts on one connection`, user);
      },
      authenticated: () => {
        started();
        timer?.cancel();
        lastActivity = this.#clock.now();
        armIdle(config.idleTimeoutMs);
      },
      openSession: (account) => {
        const open = this.#sessions.get(account) ?? 0;
        if (open >= config.maxSessionsPerAccount) {
          this.#events.emit('sftp:limited', {
            address,
            account,
            limit: 'maxSessionsPerAccount',
            reason: `${account} has ${open} SFTP sessions open already`,
          });
          return undefined;
        }
        this.#sessions.set(account, open + 1);
        let released = false;
        return () => {
          if (released) return;
          released = true;
          const left = (this.#sessions.get(account) ?? 1) - 1;
          if (left > 0) this.#sessions.set(account, left);
          else this.#sessions.delete(account);
        };
      },
      watch: (operations) => touchOnCall(operations, () => (lastActivity = this.#clock.now())),
      closed: () => {
        if (closed) return;
        closed = true;
        started();
        timer?.cancel();
        this.#connections--;
      },
    };
  }
}

/** A view of `target` whose every method call first calls `touch`. */
function touchOnCall<T extends object>(target: T, touch: () => void): T {
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        touch();
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}
