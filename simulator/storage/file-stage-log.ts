import type { Clock } from '../clock/clock.ts';
import type { Db } from './open-database.ts';

/** One stage a file reached: the state, the event that told it, and when on both clocks. */
export interface FileStage {
  state: string;
  event: string;
  /** The simulator clock's time (a manual clock's in training). */
  at: number;
  /** The wall clock's time, so a trainer can say how long the step really took. */
  realAt: number;
}

/**
 * Every stage each file reached, on the simulated and the real clock (a file's page shows them as
 * its timeline). Fed from the upload and file events, so a state added later is recorded too.
 */
export class FileStageLog {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #wallClock: Clock;

  constructor(db: Db, clocks: { clock: Clock; wallClock: Clock }) {
    this.#db = db;
    this.#clock = clocks.clock;
    this.#wallClock = clocks.wallClock;
  }

  /**
   * Records a stage for an `upload:*` or `file:*` event whose state differs from the file's last
   * one (the composition root passes every event here; other events are ignored).
   */
  recordEvent(event: string, payload: unknown): void {
    if (!event.startsWith('upload:') && !event.startsWith('file:')) return;
    const { id, state } = (payload ?? {}) as { id?: unknown; state?: unknown };
    if (typeof id !== 'number' || typeof state !== 'string') return;
    this.record(id, state, event);
  }

  record(fileId: number, state: string, event: string): void {
    const last = this.#db
      .prepare('SELECT state FROM file_stages WHERE file_id = ? ORDER BY seq DESC LIMIT 1')
      .get(fileId) as { state: string } | undefined;
    if (last?.state === state) return;
    try {
      this.#db
        .prepare('INSERT INTO file_stages (file_id, state, event, at, real_at) VALUES (?, ?, ?, ?, ?)')
        .run(fileId, state, event, this.#clock.now(), this.#wallClock.now());
    } catch {
      // A full disk: the upload's own operation reports it; a lost timeline row must not crash it.
    }
  }

  stages(fileId: number): FileStage[] {
    return (
      this.#db
        .prepare('SELECT state, event, at, real_at FROM file_stages WHERE file_id = ? ORDER BY seq')
        .all(fileId) as { state: string; event: string; at: number; real_at: number }[]
    ).map((r) => ({ state: r.state, event: r.event, at: r.at, realAt: r.real_at }));
  }

  /** Forgets every timeline (a reset). */
  reset(): void {
    this.#db.prepare('DELETE FROM file_stages').run();
  }
}
