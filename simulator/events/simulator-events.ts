import { EventEmitter } from 'node:events';
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

/** An address the SFTP defender refuses, and until when (epoch ms on the simulator clock). */
export interface Ban {
  address: string;
  since: number;
  until: number;
  failures: number;
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
  'host-key:rotated': { fingerprint: string };
  /** Record output written for one collection: SFTP paths of the files and the records in them. */
  'output:delivered': { symbol: string; collectionId: string; files: string[]; records: number };
  /** An output file older than 7 days was zipped to `path` (…`.zip`). */
  'output:zipped': { symbol: string; path: string };
  /** An output file older than 90 days was removed. */
  'output:removed': { symbol: string; path: string };
  /** A WorldCat record was edited through the admin API. */
  'worldcat:edited': { ocn: string };
  /** Two WorldCat records were merged; `holders` now hold `to`. */
  'worldcat:merged': { from: string; to: string; holders: string[] };
}

export type SimulatorEventName = keyof SimulatorEventMap;

export interface WaitForOptions {
  timeoutMs?: number;
}

/** Typed events plus `waitFor`, so tests observe instead of sleeping. */
export class SimulatorEvents {
  readonly #emitter = new EventEmitter();

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  emit<E extends SimulatorEventName>(event: E, payload: SimulatorEventMap[E]): void {
    // Catch-all listeners (the journal) first: a listener that reacts by emitting (the queue
    // starts processing on file:queued) must not get its events journalled before the cause.
    this.#emitter.emit('*', event, payload);
    this.#emitter.emit(event, payload);
  }

  on<E extends SimulatorEventName>(event: E, listener: (payload: SimulatorEventMap[E]) => void): () => void {
    this.#emitter.on(event, listener);
    return () => this.#emitter.off(event, listener);
  }

  onAny(listener: (event: SimulatorEventName, payload: unknown) => void): () => void {
    this.#emitter.on('*', listener);
    return () => this.#emitter.off('*', listener);
  }

  /** Resolves with the next matching event; create the promise before triggering the action. */
  waitFor<E extends SimulatorEventName>(
    event: E,
    predicate: (payload: SimulatorEventMap[E]) => boolean = () => true,
    options: WaitForOptions = {},
  ): Promise<SimulatorEventMap[E]> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const listener = (payload: SimulatorEventMap[E]): void => {
        if (!predicate(payload)) return;
        cleanup();
        resolve(payload);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for event ${event}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#emitter.off(event, listener);
      };
      this.#emitter.on(event, listener);
    });
  }
}
