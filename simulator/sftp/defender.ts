import type { Clock } from '../clock/clock.ts';
import type { DefenderConfig } from '../config/simulator-config.ts';
import type { Ban, SimulatorEvents } from '../events/simulator-events.ts';

/**
 * SFTPGo's defender, simplified: after `threshold` failed logins (or connections refused by
 * `sftp.maxStartupsPerAddress`) from one address within `window`, that address is refused at once
 * for `ban`, whatever it sends. Time comes from the
 * simulator clock, so a manual clock can end a ban in a test.
 */
export class Defender {
  readonly #config: DefenderConfig | false;
  readonly #clock: Clock;
  readonly #events: SimulatorEvents;
  readonly #failures = new Map<string, number[]>();
  readonly #bans = new Map<string, Ban>();

  constructor(deps: { config: DefenderConfig | false; clock: Clock; events: SimulatorEvents }) {
    this.#config = deps.config;
    this.#clock = deps.clock;
    this.#events = deps.events;
  }

  /** Counts a failed login or a refused startup; returns true when it got the address banned. */
  failed(address: string): boolean {
    const config = this.#config;
    if (config === false || this.banned(address)) return false;
    const now = this.#clock.now();
    const recent = (this.#failures.get(address) ?? []).filter((at) => now - at < config.windowMs);
    recent.push(now);
    if (recent.length < config.threshold) {
      this.#failures.set(address, recent);
      this.#forgetOld(now);
      return false;
    }
    this.#failures.delete(address);
    const ban = { address, since: now, until: now + config.banMs, failures: recent.length };
    this.#bans.set(address, ban);
    this.#events.emit('defender:banned', {
      ...ban,
      reason: `${recent.length} failed logins or refused connections within ${Math.round(config.windowMs / 1000)} s`,
    });
    return true;
  }

  banned(address: string): boolean {
    const ban = this.#bans.get(address);
    if (!ban) return false;
    if (ban.until > this.#clock.now()) return true;
    this.#bans.delete(address);
    return false;
  }

  /** Bans in force, for GET /api/defender. */
  list(): Ban[] {
    const now = this.#clock.now();
    for (const [address, ban] of this.#bans) if (ban.until <= now) this.#bans.delete(address);
    return [...this.#bans.values()];
  }

  /** Lifts a ban (DELETE /api/defender/{address}); false when the address was not banned. */
  unban(address: string): boolean {
    this.#failures.delete(address);
    const lifted = this.#bans.delete(address);
    if (lifted) this.#events.emit('defender:unbanned', { address, reason: 'lifted through the admin API' });
    return lifted;
  }

  /** Keeps the failure map from growing with every address that ever failed once. */
  #forgetOld(now: number): void {
    const config = this.#config;
    if (config === false || this.#failures.size < 10_000) return;
    for (const [address, times] of this.#failures) {
      if (times.every((at) => now - at >= config.windowMs)) this.#failures.delete(address);
    }
  }
}
