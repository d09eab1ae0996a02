import { createHmac, randomUUID } from 'node:crypto';
import type { Clock } from '../clock/clock.ts';
import type { WebhookConfig } from '../config/simulator-config.ts';
import type { SimulatorEvents, WebhookAttempt } from '../events/simulator-events.ts';
import type { RecordedEntry } from '../journal/journal.ts';

export interface WebhookOptions {
  hooks: readonly WebhookConfig[];
  /** Attempts per delivery, the first included. */
  attempts: number;
  /** Wait before the second attempt; each later one waits twice as long as the one before. */
  backoffMs: number;
  clock: Clock;
  events: SimulatorEvents;
  /** How long one POST may take before it counts as failed. */
  timeoutMs?: number;
}

/** The signature header's value: `sha256=` and the hex HMAC-SHA256 of the body with the hook's secret. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Whether a hook wants an event: no list means all; `outbox:*` stands for a family. */
export function wants(hook: WebhookConfig, event: string): boolean {
  if (hook.events === undefined) return true;
  return hook.events.some((name) =>
    name.endsWith('*') ? event.startsWith(name.slice(0, -1)) : name === event,
  );
}

/**
 * POSTs journalled events to the configured URLs, signed, retried with doubling waits, each attempt
 * journalled as `webhook:delivered` or `webhook:failed`. Retries run on real time: the receiver is a
 * real server, whatever the simulator's clock says. `webhook:*` events are never delivered (a
 * delivery would announce itself for ever).
 */
export class Webhooks {
  readonly #options: WebhookOptions;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #aborts = new Set<AbortController>();
  #stopped = false;

  constructor(options: WebhookOptions) {
    this.#options = options;
  }

  /** Called with every journal entry; hooks that want it get a delivery. */
  dispatch(entry: RecordedEntry): void {
    if (this.#stopped || entry.type.startsWith('webhook:')) return;
    const matching = this.#options.hooks.filter((hook) => wants(hook, entry.type));
    if (matching.length === 0) return;
    const body = JSON.stringify({
      id: entry.id,
      event: entry.type,
      at: new Date(this.#options.clock.now()).toISOString(),
      data: entry.data,
    });
    for (const hook of matching) {
      const base = { url: hook.url, event: entry.type, eventId: entry.id, delivery: randomUUID() };
      this.#attempt(hook, body, base, 1);
    }
  }

  /** Cancels waiting retries and open requests; nothing more is journalled. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const abort of this.#aborts) abort.abort();
    await Promise.allSettled([...this.#inFlight]);
  }

  #attempt(hook: WebhookConfig, body: string, base: Omit<WebhookAttempt, 'attempt'>, attempt: number): void {
    const sent = this.#post(hook, body, base.delivery, base.event).then((outcome) => {
      if (this.#stopped) return;
      if (outcome.ok) {
        this.#options.events.emit('webhook:delivered', { ...base, attempt, status: outcome.status });
        return;
      }
      const last = attempt >= this.#options.attempts;
      const retryInMs = last ? null : this.#options.backoffMs * 2 ** (attempt - 1);
      this.#options.events.emit('webhook:failed', {
        ...base,
        attempt,
        ...(outcome.status === undefined ? {} : { status: outcome.status }),
        reason: outcome.reason,
        retryInMs,
      });
      if (retryInMs === null) return;
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.#attempt(hook, body, base, attempt + 1);
      }, retryInMs);
      this.#timers.add(timer);
    });
    this.#inFlight.add(sent);
    const settled = (): void => {
      this.#inFlight.delete(sent);
    };
    sent.then(settled, settled);
  }

  async #post(
    hook: WebhookConfig,
    body: string,
    delivery: string,
    event: string,
  ): Promise<{ ok: true; status: number } | { ok: false; status?: number; reason: string }> {
    const abort = new AbortController();
    this.#aborts.add(abort);
    const timeout = setTimeout(() => abort.abort(), this.#options.timeoutMs ?? 10_000);
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        body,
        signal: abort.signal,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'datasync-sim',
          'X-Datasync-Event': event,
          'X-Datasync-Delivery': delivery,
          'X-Datasync-Signature': webhookSignature(hook.secret, body),
        },
      });
      // The answer's body is not needed; reading it frees the connection.
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { ok: true, status: res.status };
      return { ok: false, status: res.status, reason: `the receiver answered ${res.status}` };
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
      const reason = abort.signal.aborted
        ? `no answer within ${(this.#options.timeoutMs ?? 10_000) / 1000} s`
        : `could not connect${cause ? `: ${cause}` : ''}`;
      return { ok: false, reason };
    } finally {
      clearTimeout(timeout);
      this.#aborts.delete(abort);
    }
  }
}
