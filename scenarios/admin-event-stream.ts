import { createParser } from 'eventsource-parser';
import { eventSchemas, type StreamEventData, type StreamEventName } from '../simulator/contract.ts';

/** One message from GET /api/events; `data` is parsed by the contract's schema for known names. */
export interface StreamEvent {
  id: string | undefined;
  event: string;
  data: unknown;
}

/** Options of `AdminClient.subscribe`: where to resume (`lastEventId`), a callback per event, extra headers. */
export interface SubscribeOptions {
  /** Resume after this id (what `lastEventId` said before), replaying what was missed. */
  lastEventId?: string;
  onEvent?: (event: StreamEvent) => void;
  /** Extra request headers, e.g. an admin token. */
  headers?: Record<string, string>;
}

interface Waiter {
  event: string;
  predicate: (data: never) => boolean;
  resolve: (data: never) => void;
}

/**
 * A live subscription to the admin event stream. It reconnects by itself when the connection
 * drops, sending Last-Event-ID, so no journaled event is lost; `close()` ends it.
 */
export class AdminEventStream implements AsyncDisposable {
  readonly #url: string;
  readonly #options: SubscribeOptions;
  readonly #abort = new AbortController();
  readonly #waiters = new Set<Waiter>();
  #lastEventId: string | undefined;
  #retryMs = 1000;

  private constructor(url: string, options: SubscribeOptions) {
    this.#url = url;
    this.#options = options;
    this.#lastEventId = options.lastEventId;
  }

  /** Resolves once the server has the subscription, so events caused after it are all seen. */
  static async open(baseUrl: string, options: SubscribeOptions = {}): Promise<AdminEventStream> {
    const stream = new AdminEventStream(`${baseUrl}/api/events`, options);
    const first = await stream.#connect();
    // #run catches its own failures and reconnects; this only keeps a surprise from ending the host.
    stream.#run(first).catch(() => undefined);
    return stream;
  }

  /** The id of the last journaled event received: pass it as `lastEventId` to resume later. */
  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }

  /** The next event of that name whose data matches; create it before causing the event. */
  waitFor<E extends StreamEventName>(
    event: E,
    predicate: (data: StreamEventData<E>) => boolean = () => true,
    options: { timeoutMs?: number } = {},
  ): Promise<StreamEventData<E>> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        event,
        predicate: predicate as (data: never) => boolean,
        resolve: (data) => {
          clearTimeout(timer);
          resolve(data);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for event ${event} on ${this.#url}`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  close(): void {
    this.#abort.abort();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  async #connect(): Promise<Response> {
    const headers: Record<string, string> = { accept: 'text/event-stream', ...this.#options.headers };
    if (this.#lastEventId !== undefined) headers['last-event-id'] = this.#lastEventId;
    const res = await fetch(this.#url, { headers, signal: this.#abort.signal });
    if (!res.ok || !res.body) {
      throw new Error(`GET ${this.#url} answered ${res.status}: ${await res.text()}`);
    }
    return res;
  }

  async #run(first: Response): Promise<void> {
    const parser = createParser({
      onEvent: (message) => this.#deliver(message.id, message.event ?? 'message', message.data),
      onRetry: (ms) => {
        this.#retryMs = ms;
      },
    });
    let res: Response | undefined = first;
    while (!this.#abort.signal.aborted) {
      try {
        res ??= await this.#connect();
        const decoder = new TextDecoder();
        for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
          parser.feed(decoder.decode(chunk, { stream: true }));
        }
      } catch {
        // Dropped or refused: reconnect below, resuming after the last id seen.
      }
      res = undefined;
      parser.reset();
      if (this.#abort.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, this.#retryMs));
    }
  }

  #deliver(id: string | undefined, event: string, raw: string): void {
    if (id !== undefined) this.#lastEventId = id;
    const json: unknown = JSON.parse(raw);
    const schema = (eventSchemas as Record<string, { parse(v: unknown): unknown } | undefined>)[event];
    const data = schema ? schema.parse(json) : json;
    this.#options.onEvent?.({ id, event, data });
    for (const waiter of this.#waiters) {
      if (waiter.event === event && waiter.predicate(data as never)) {
        this.#waiters.delete(waiter);
        waiter.resolve(data as never);
      }
    }
  }
}
