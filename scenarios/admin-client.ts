import type { z } from 'zod';
import { DataSyncError } from '../oclc/error-catalogue.ts';
import {
  adminRoutes,
  ErrorSchema,
  type FileInfo,
  type FileWithOutcomes,
  type HealthInfo,
  type JournalEntryInfo,
  type LhrInfo,
} from '../simulator/contract.ts';
import type { RouteContract } from '../simulator/contract.ts';
import { AdminEventStream, type SubscribeOptions } from './admin-event-stream.ts';

export type { StreamEvent, SubscribeOptions } from './admin-event-stream.ts';
export { AdminEventStream };
export type { FileInfo, FileWithOutcomes, HealthInfo, JournalEntryInfo, LhrInfo };

interface CallInput {
  params?: Record<string, string | number>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

/**
 * A typed client for the admin API: what scenarios (and container users) drive a simulator with.
 * Requests and answers are typed and parsed by the same contract the server validates with.
 */
export class AdminClient {
  readonly baseUrl: string;
  readonly #token: string | undefined;

  /** `token`: the simulator's admin token (admin.token or DATASYNC_ADMIN_TOKEN), sent as a Bearer token. */
  constructor(baseUrl: string, options: { token?: string | undefined } = {}) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.#token = options.token;
  }

  async health(): Promise<HealthInfo> {
    const health = await this.call(adminRoutes.health);
    if (!('sftp' in health)) {
      throw new DataSyncError('ADMIN_UNAUTHORIZED', {
        request: 'GET /api/health',
        reason: 'the simulator answers only "up" without its admin token',
      });
    }
    return health;
  }

  async files(
    filter: { state?: FileInfo['state']; account?: string; symbol?: string } = {},
  ): Promise<FileInfo[]> {
    return (await this.call(adminRoutes.listFiles, { query: filter })).files;
  }

  file(id: number, page: { offset?: number; limit?: number } = {}): Promise<FileWithOutcomes> {
    return this.call(adminRoutes.getFile, { params: { id }, query: page });
  }

  async holdings(symbol: string): Promise<string[]> {
    return (await this.call(adminRoutes.holdings, { params: { symbol } })).ocns;
  }

  async lhrs(symbol: string, ocn?: string): Promise<LhrInfo[]> {
    return (await this.call(adminRoutes.lhrs, { params: { symbol }, query: { ocn } })).lhrs;
  }

  async journal(limit = 20, type?: string): Promise<JournalEntryInfo[]> {
    return (await this.call(adminRoutes.journal, { query: { limit, type } })).entries;
  }

  async processNow(): Promise<FileInfo[]> {
    return (await this.call(adminRoutes.processNow, { body: {} })).processed;
  }

  async advanceClock(by: string | number): Promise<void> {
    await this.call(adminRoutes.advanceClock, { body: { by } });
  }

  /** Adds a fault rule (the shape of POST /api/faults); returns its id. */
  async addFault(rule: unknown): Promise<string> {
    return (await this.call(adminRoutes.addFault, { body: rule })).id;
  }

  /** POST /api/journal/verify: the 409 answer is a result here, with its explanation, not an error. */
  async verifyJournal(expectation: unknown): Promise<{ ok: boolean; matched: number; explanation: string }> {
    const res = await this.#fetch(adminRoutes.verifyJournal.path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(expectation),
    });
    const body = (await res.json()) as { matched?: number; error?: { message?: string } };
    if (res.status !== 200 && res.status !== 409)
      throw new Error(`POST /api/journal/verify answered ${res.status}: ${body.error?.message ?? ''}`);
    return { ok: res.status === 200, matched: body.matched ?? 0, explanation: body.error?.message ?? '' };
  }

  async reset(): Promise<void> {
    await this.call(adminRoutes.reset, { body: {} });
  }

  /**
   * Subscribes to GET /api/events; resolves once subscribed. Reconnects with Last-Event-ID by
   * itself; `lastEventId` resumes an earlier subscription without loss.
   */
  subscribe(options: SubscribeOptions = {}): Promise<AdminEventStream> {
    const auth: Record<string, string> =
      this.#token === undefined ? {} : { authorization: `Bearer ${this.#token}` };
    return AdminEventStream.open(this.baseUrl, { ...options, headers: { ...auth, ...options.headers } });
  }

  /** Calls any contract route and parses its answer with the route's response schema. */
  async call<R extends RouteContract>(route: R, input: CallInput = {}): Promise<z.output<R['response']>> {
    const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
      encodeURIComponent(String(input.params?.[name] ?? '')),
    );
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(input.query ?? {})) {
      if (value !== undefined) query.set(key, String(value));
    }
    const url = `${path}${query.size > 0 ? `?${query}` : ''}`;
    const headers: Record<string, string> = {};
    if (this.#token !== undefined) headers['authorization'] = `Bearer ${this.#token}`;
    const init: RequestInit = { method: route.method.toUpperCase(), headers };
    if (route.method !== 'get') {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(input.body ?? {});
    }
    const res = await this.#fetch(url, init);
    const body: unknown = await res.json();
    if (!res.ok) {
      const error = ErrorSchema.safeParse(body);
      throw new Error(
        `${init.method} ${url} answered ${res.status}: ${error.success ? error.data.error.message : JSON.stringify(body)}`,
      );
    }
    return route.response.parse(body) as z.output<R['response']>;
  }

  async #fetch(url: string, init: RequestInit): Promise<Response> {
    // One retry: a kept-alive connection to a simulator that just restarted fails once.
    for (let attempt = 1; ; attempt++) {
      try {
        return await fetch(`${this.baseUrl}${url}`, init);
      } catch (error) {
        if (attempt >= 2) {
          throw new DataSyncError('CLIENT_CONNECT_FAILED', {
            address: this.baseUrl,
            reason: error instanceof Error ? error.message : String(error),
          });
        }
      }
    }
  }
}
