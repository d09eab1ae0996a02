import type { Clock } from '../clock/clock.ts';
import type { WsKey } from '../config/simulator-config.ts';

const DAY_MS = 86_400_000;

/**
 * Per-WSKey rate limits (config `wskeys[].rateLimit`): at most `perSecond` calls in any second
 * (a sliding window) and `perDay` per UTC day, on the simulator's clock, so a manual clock makes
 * a test exact. A call over either is refused with the seconds until one is free again.
 */
export class RateLimits {
  readonly #clock: Clock;
  readonly #recent = new Map<string, number[]>();
  readonly #days = new Map<string, { day: number; calls: number }>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Counts the call when allowed; otherwise the wait OCLC's Retry-After gives, in whole seconds. */
  take(key: WsKey): { ok: true } | { ok: false; retryAfterS: number; limit: 'perSecond' | 'perDay' } {
    const limit = key.rateLimit;
    if (!limit) return { ok: true };
    const now = this.#clock.now();
    const day = Math.floor(now / DAY_MS);
    const today = this.#days.get(key.key);
    const usedToday = today?.day === day ? today.calls : 0;
    if (limit.perDay !== undefined && usedToday >= limit.perDay)
      return { ok: false, retryAfterS: Math.ceil(((day + 1) * DAY_MS - now) / 1000), limit: 'perDay' };
    const recent = (this.#recent.get(key.key) ?? []).filter((at) => at > now - 1000);
    if (limit.perSecond !== undefined && recent.length >= limit.perSecond) {
      this.#recent.set(key.key, recent);
      return {
        ok: false,
        retryAfterS: Math.max(1, Math.ceil(((recent[0] ?? now) + 1000 - now) / 1000)),
        limit: 'perSecond',
      };
    }
    recent.push(now);
    this.#recent.set(key.key, recent);
    this.#days.set(key.key, { day, calls: usedToday + 1 });
    return { ok: true };
  }
}
