import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import type { Clock } from '../clock/clock.ts';

/** What a token was issued for: the key, the institution it acts for and the scopes it carries. */
export interface ApiGrant {
  token: string;
  key: string;
  symbol: string;
  scopes: readonly string[];
  /** When it stops working, on the simulator's clock (epoch ms). */
  expiresAt: number;
}

/** OCLC's tokens live 20 minutes; its answers say 1199 seconds. */
export const TOKEN_LIFETIME_S = 1199;

/**
 * Access tokens of the Metadata API mock, kept in memory (a restart ends them, as a token
 * server's restart would not, but no client keeps a token across a simulator restart). They age
 * on the simulator's clock, so advancing a manual clock expires them.
 */
export class ApiTokens {
  readonly #clock: Clock;
  readonly #grants = new Map<string, ApiGrant>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  issue(grant: Omit<ApiGrant, 'token' | 'expiresAt'>): ApiGrant {
    this.#dropExpired();
    const issued: ApiGrant = {
      ...grant,
      token: `tk_${randomBytes(27).toString('base64url')}`,
      expiresAt: this.#clock.now() + TOKEN_LIFETIME_S * 1000,
    };
    this.#grants.set(issued.token, issued);
    return issued;
  }

  /** The grant of a token still alive; undefined for an unknown, expired or revoked one. */
  find(token: string): ApiGrant | undefined {
    const grant = this.#grants.get(token);
    if (!grant || grant.expiresAt <= this.#clock.now()) return undefined;
    return grant;
  }

  /** Ends every live token at once (POST /api/metadata-api/tokens/expire); returns how many. */
  expireAll(filter: { key?: string | undefined } = {}): number {
    let ended = 0;
    for (const [token, grant] of this.#grants) {
      if (filter.key !== undefined && grant.key !== filter.key) continue;
      if (grant.expiresAt > this.#clock.now()) ended++;
      this.#grants.delete(token);
    }
    return ended;
  }

  #dropExpired(): void {
    const now = this.#clock.now();
    for (const [token, grant] of this.#grants) if (grant.expiresAt <= now) this.#grants.delete(token);
  }
}

/** OCLC's `expires_at`: `YYYY-MM-DD HH:MM:SSZ`, UTC. */
export function oclcExpiresAt(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** The grant a request's token carries (set by the bearer guard before any /worldcat route). */
export function grantOf(res: Response): ApiGrant {
  return res.locals['grant'] as ApiGrant;
}
