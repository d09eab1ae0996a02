import { EventEmitter } from 'node:events';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import type { UploadRecord } from '../storage/upload-store.ts';

/** One SFTP request as the journal keeps it. */
export interface SftpOperationRecord {
  session: number;
  account: string;
  address: string;
  operation: string;
  path: string;
  /** A rename's new path (then `path` is that too; `from` is the old one). */
  from?: string;
  bytes: number;
  /** `ok`, or the SFTP status in fault-rule spelling (`no-such-file`, `permission-denied`, ...). */
  status: string;
  message?: string;
  durationMs: number;
  /** The fault rule that shaped this answer. */
  fault?: string;
}

/** One Metadata API request as the journal keeps it (`operation: api`). */
export interface ApiCallRecord {
  operation: 'api';
  method: string;
  /** The path without its query, e.g. /worldcat/manage/institution/holdings/123/set. */
  path: string;
  /** The HTTP status answered. */
  status: number;
  /** The WSKey that asked (from its token or its Basic credentials); null when none was valid. */
  key: string | null;
  /** The credential, as `account` is for SFTP logins: the WSKey again (journal filters use it). */
  account: string | null;
  /** The institution the key belongs to. */
  symbol: string | null;
  durationMs: number;
  /** The fault rule that shaped this answer. */
  fault?: string;
  /** The current OCN the call concerned (set, unset, match). */
  ocn?: string;
  /** The key's rate limit this call went over (answered 429). */
  limited?: 'perSecond' | 'perDay';
}

/** An address the SFTP defender refuses, and until when (epoch ms on the simulator clock). */
export interface Ban {
  address: string;
  since: number;
  until: number;
  failures: number;
}

/** The earlier upload of a name in `upload:same-name`. */
export interface SameNameEarlier {
  id: number;
  name: string;
  state: string;
  receivedAt: number | null;
}

/** One e-mail OCLC would send about Data Sync (events `outbox:*`); `to` names institutions. */
export interface OutboxMessage {
  kind: 'reports-ready' | 'file-failed' | 'output-delivered';
  /** Symbols whose Collection Manager contacts would receive it. */
  to: string[];
  subject: string;
  body: string;
  /** The upload it is about (reports-ready, file-failed). */
  fileId?: number;
  /** Report names or SFTP paths it points at. */
  files: string[];
}

/** One webhook POST attempt, as the journal keeps it (`webhook:delivered`, `webhook:failed`). */
export interface WebhookAttempt {
  url: string;
  /** The event delivered and its journal id (the event stream's id). */
  event: string;
  eventId: number;
  /** Unique per event and URL; the same on every retry (header X-Datasync-Delivery). */
  delivery: string;
  attempt: number;
  /** The receiver's HTTP status; absent when no answer came. */
  status?: number;
  /** Why an attempt failed: the status, a refused connection, a timeout. */
  reason?: string;
  /** When the next attempt is due (ms); null when this was the last. */
  retryInMs?: number | null;
}

/** Every observable thing the simulator does, as `noun:verb` events. */
export interface SimulatorEventMap {
  'auth:accepted': { account: string; symbol: string; method: string };
  'auth:refused': { user: string; method: string; reason: string };
  'upload:started': UploadRecord;
  'upload:refused': UploadRecord;
  'upload:received': UploadRecord;
  'upload:incomplete': UploadRecord;
  'upload:removed': UploadRecord;
  'upload:abandoned': UploadRecord;
  /**
   * A name arrived again the same (Eastern) day after its earlier file was already processing or
   * processed: OCLC would have processed only this later file; the simulator processes both.
   * The payload is the later upload; `reason` says so, naming both uploads.
   */
  'upload:same-name': UploadRecord & { earlier: SameNameEarlier };
  /**
   * A client asked for an upload that is gone because it was picked up (or its partial
   * discarded); `operation` is what it asked, `reason` how it was answered.
   */
  'upload:probed': UploadRecord & { probedAt: number; operation: string };
  'file:queued': UploadRecord;
  'file:halted': UploadRecord;
  'file:processing': UploadRecord;
  'file:processed': UploadRecord;
  'file:failed': UploadRecord;
  'file:superseded': UploadRecord;
  /** Sent a few times a second while a file processes; transient, so the journal leaves it out. */
  'processing:progress': { fileId: number; name: string; records: number; bytes: number; totalBytes: number };
  /** `datasync-sim demo` began telling a step of its story (the dashboard shows it to the room). */
  'demo:step': { step: number; total: number; title: string; why: string };
  /** Everything was forgotten (POST /api/reset); views should start afresh. */
  'simulator:reset': { at: string };
  'sftp:denied': { account: string; operation: string; path: string; code: string; message: string };
  /** A connection closed or refused by an SSH limit (maxConnections, loginGraceTime, ...). */
  'sftp:limited': { address: string; limit: string; reason: string; user?: string; account?: string };
  /** A stored copy deleted by retention, or a temporary-name file its client left behind. */
  'storage:removed': { name: string; account?: string; reason: string; fileId?: number };
  'defender:banned': Ban & { reason: string };
  'defender:unbanned': { address: string; reason: string };
  'sftp:operation': SftpOperationRecord;
  'fault:applied': { id: string; operation: string; path?: string; account?: string; action: unknown };
  /** `fingerprint` is the Ed25519 key's (as before); `fingerprints` has every type's. */
  'host-key:rotated': { fingerprint: string; fingerprints: Record<string, string> };
  /** Record output written for one collection: SFTP paths of the files and the records in them. */
  'output:delivered': { symbol: string; collectionId: string; files: string[]; records: number };
  /** An output file older than 7 days was zipped to `path` (…`.zip`). */
  'output:zipped': { symbol: string; path: string };
  /** An output file older than 90 days was removed. */
  'output:removed': { symbol: string; path: string };
  /** E-mails OCLC would send: reports ready, a file failed, output delivered. */
  'outbox:reports-ready': OutboxMessage;
  'outbox:file-failed': OutboxMessage;
  'outbox:output-delivered': OutboxMessage;
  /** A webhook receiver answered 2xx. */
  'webhook:delivered': WebhookAttempt;
  /** A webhook attempt failed; `retryInMs` says when the next one is due, null when it gave up. */
  'webhook:failed': WebhookAttempt;
  /** A WorldCat record was edited through the admin API. */
  'worldcat:edited': { ocn: string };
  /** Two WorldCat records were merged; `holders` now hold `to`. */
  'worldcat:merged': { from: string; to: string; holders: string[] };
  /** One answered WorldCat Metadata API call (POST /oauth/token included). */
  'api:call': ApiCallRecord;
  /**
   * A listener (`on`, `onAny`) or a `waitFor` predicate threw, or an async listener rejected; the
   * simulator went on. `event` is the event it was called for.
   */
  'listener:error': { event: string; source: 'listener' | 'waitFor'; message: string };
}

/** The name of an event the simulator emits (see `SimulatorEventMap`). */
export type SimulatorEventName = keyof SimulatorEventMap;

export interface WaitForOptions {
  timeoutMs?: number;
}

/** Typed events plus `waitFor`, so tests observe instead of sleeping. */
export class SimulatorEvents {
  readonly #emitter = new EventEmitter();
  /** Set while `listener:error` is being delivered: a listener failing on it is not reported again. */
  #reportingFailure = false;
  /** Rejecters of the waits still pending, so stop() can end them. */
  readonly #pending = new Map<(error: Error) => void, string>();
  #closed = false;

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  emit<E extends SimulatorEventName>(event: E, payload: SimulatorEventMap[E]): void {
    // Catch-all listeners (the journal) first: a listener that reacts by emitting (the queue
    // starts processing on file:queued) must not get its events journalled before the cause.
    this.#emitter.emit('*', event, payload);
    this.#emitter.emit(event, payload);
  }

  /**
   * Calls `listener` for each `event`. A listener that throws (or returns a promise that rejects)
   * is reported as `listener:error` and never reaches the caller of `emit` or the host process:
   * the code that emitted goes on as if the listener had returned.
   */
  on<E extends SimulatorEventName>(event: E, listener: (payload: SimulatorEventMap[E]) => void): () => void {
    const guarded = (payload: SimulatorEventMap[E]): void =>
      this.#call(event, 'listener', () => listener(payload));
    this.#emitter.on(event, guarded);
    return () => this.#emitter.off(event, guarded);
  }

  onAny(listener: (event: SimulatorEventName, payload: unknown) => void): () => void {
    const guarded = (event: SimulatorEventName, payload: unknown): void =>
      this.#call(event, 'listener', () => listener(event, payload));
    this.#emitter.on('*', guarded);
    return () => this.#emitter.off('*', guarded);
  }

  /**
   * Resolves with the next matching event; create the promise before triggering the action. A
   * predicate that throws rejects it at once with that error (and is reported as
   * `listener:error`); it rejects after `timeoutMs`, or with SIMULATOR_STOPPED when the simulator
   * stops first. A rejection nobody awaits (a forgotten promise) never crashes the host.
   */
  waitFor<E extends SimulatorEventName>(
    event: E,
    predicate: (payload: SimulatorEventMap[E]) => boolean = () => true,
    options: WaitForOptions = {},
  ): Promise<SimulatorEventMap[E]> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const waiting = new Promise<SimulatorEventMap[E]>((resolve, reject) => {
      if (this.#closed) {
        reject(new DataSyncError('SIMULATOR_STOPPED', { event }));
        return;
      }
      const listener = (payload: SimulatorEventMap[E]): void => {
        let matched: boolean;
        try {
          matched = predicate(payload);
        } catch (error) {
          cleanup();
          this.#report(event, 'waitFor', error);
          reject(
            new Error(`The waitFor predicate for ${event} threw: ${messageOf(error)}`, { cause: error }),
          );
          return;
        }
        if (!matched) return;
        cleanup();
        resolve(payload);
      };
      const stopped = (error: Error): void => {
        cleanup();
        reject(error);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for event ${event}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#emitter.off(event, listener);
        this.#pending.delete(stopped);
      };
      this.#emitter.on(event, listener);
      this.#pending.set(stopped, event);
    });
    // Marks the rejection handled; whoever awaits `waiting` still gets it.
    waiting.catch(() => undefined);
    return waiting;
  }

  /** The simulator stopped: every pending wait rejects at once, and later ones too. */
  close(): void {
    this.#closed = true;
    for (const [reject, event] of [...this.#pending])
      reject(new DataSyncError('SIMULATOR_STOPPED', { event }));
  }

  #call(event: string, source: 'listener', call: () => unknown): void {
    try {
      const result = call();
      if (isThenable(result)) result.then(undefined, (error: unknown) => this.#report(event, source, error));
    } catch (error) {
      this.#report(event, source, error);
    }
  }

  #report(event: string, source: 'listener' | 'waitFor', error: unknown): void {
    if (this.#reportingFailure || event === 'listener:error') return;
    this.#reportingFailure = true;
    try {
      this.emit('listener:error', { event, source, message: messageOf(error) });
    } finally {
      this.#reportingFailure = false;
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}
