import type { Clock } from '../clock.ts';
import type { SimulatorEventName, SimulatorEvents } from '../events.ts';
import type { Db } from '../storage/open-database.ts';

export interface JournalEntry {
  id: number;
  at: number;
  type: string;
  account: string | null;
  subject: string | null;
  message: string | null;
  data: unknown;
}

interface JournalRow {
  id: number;
  at: number;
  type: string;
  account: string | null;
  subject: string | null;
  message: string | null;
  data: string | null;
}

/** Bounded (journal.maxEntries) so a long soak or a brute-force run cannot grow the database without limit. */
const DEFAULT_LIMIT = 100_000;

/** Records every simulator event so people can see what the simulator saw, and why. */
export class Journal {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #limit: number;
  #writes = 0;
  #lost = 0;

  constructor(db: Db, clock: Clock, limit = DEFAULT_LIMIT) {
    this.#db = db;
    this.#clock = clock;
    this.#limit = limit;
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  attach(events: SimulatorEvents): () => void {
    return events.onAny((event, payload) => this.record(event, payload));
  }

  record(type: SimulatorEventName | string, payload: unknown): void {
    const p = (payload ?? {}) as Record<string, unknown>;
    const account =
      typeof p['account'] === 'string' ? p['account'] : typeof p['user'] === 'string' ? p['user'] : null;
    const subject =
      typeof p['name'] === 'string' ? p['name'] : typeof p['path'] === 'string' ? p['path'] : null;
    const message =
      typeof p['reason'] === 'string' ? p['reason'] : typeof p['message'] === 'string' ? p['message'] : null;
    try {
      this.#db
        .prepare('INSERT INTO journal (at, type, account, subject, message, data) VALUES (?, ?, ?, ?, ?, ?)')
        .run(this.#clock.now(), type, account, subject, message, JSON.stringify(payload));
      if (++this.#writes % Math.min(500, Math.ceil(this.#limit / 10)) === 0) this.#trim();
    } catch {
      // A full or failing disk: the event still happened and its own operation reports the
      // failure; losing the journal line must not turn it into a crash.
      this.#lost++;
    }
  }

  /** Entries that could not be written (the database's disk was full or failing). */
  get lost(): number {
    return this.#lost;
  }

  list(options: { type?: string; limit?: number } = {}): JournalEntry[] {
    const limit = options.limit ?? 500;
    const rows = (
      options.type
        ? this.#db
            .prepare('SELECT * FROM journal WHERE type = ? ORDER BY id DESC LIMIT ?')
            .all(options.type, limit)
        : this.#db.prepare('SELECT * FROM journal ORDER BY id DESC LIMIT ?').all(limit)
    ) as JournalRow[];
    return rows
      .reverse()
      .map((row) => ({ ...row, data: row.data ? (JSON.parse(row.data) as unknown) : null }));
  }

  #trim(): void {
    this.#db.prepare('DELETE FROM journal WHERE id <= (SELECT MAX(id) FROM journal) - ?').run(this.#limit);
  }
}
