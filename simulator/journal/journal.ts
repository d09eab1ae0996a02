import type { Clock } from '../clock/clock.ts';
import type { SimulatorEventName, SimulatorEvents } from '../events/simulator-events.ts';
import type { Db } from '../storage/open-database.ts';
import { pathMatcher } from '../config/path-matcher.ts';
import type { JournalEntry } from './journal-entry.ts';
import { OPERATION_TYPES, toOperationEntry, type OperationEntry } from './operation-entry.ts';
import { parseJournalExpectation, verifyJournal, type Verification } from './verify-journal.ts';

/** GET /api/journal's filters; every one given must hold. */
export interface JournalFilter {
  /** Event names, comma-separated; `upload:*` stands for a family. */
  type?: string;
  /** Event names to leave out, written as `type` is. */
  exclude?: string;
  /** One upload's story: its upload:* and file:* events (and others naming it by fileId). */
  file?: number;
  /** An operation as fault rules name it: `rename`, `login`, `processing`, ... */
  operation?: string;
  /** A glob over the SFTP path (the upload name for processing). */
  path?: string;
  account?: string;
  /** Entries at or after this time (ms since the epoch, on the simulator's clock). */
  since?: number;
  limit?: number;
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

export interface RecordedEntry {
  id: number;
  type: string;
  data: unknown;
}

const TRANSIENT: ReadonlySet<string> = new Set(['processing:progress']);

/** Bounded (journal.maxEntries) so a long soak or a brute-force run cannot grow the database without limit. */
const DEFAULT_LIMIT = 100_000;

/** Records every simulator event so people can see what the simulator saw, and why. */
export class Journal {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #limit: number;
  #writes = 0;
  #lost = 0;
  /** Ids are given here, not by SQLite, so they keep rising after a reset empties the table. */
  #lastId: number;
  readonly #listeners = new Set<(entry: RecordedEntry) => void>();

  constructor(db: Db, clock: Clock, limit = DEFAULT_LIMIT) {
    this.#db = db;
    this.#clock = clock;
    this.#limit = limit;
    this.#lastId = (db.prepare('SELECT MAX(id) AS id FROM journal').get() as { id: number | null }).id ?? 0;
  }

  /** Subscribes to every lasting event (progress ticks are left out); returns the unsubscribe function. */
  attach(events: SimulatorEvents): () => void {
    return events.onAny((event, payload) => {
      if (!TRANSIENT.has(event)) this.record(event, payload);
    });
  }

  /** Calls `listener` after each entry is written, with its id (the event stream's Last-Event-ID). */
  onRecord(listener: (entry: RecordedEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The id of the newest entry (0 when none was ever written). */
  get lastId(): number {
    return this.#lastId;
  }

  /** Entries after `afterId`, oldest first: what an event-stream client missed while away. */
  since(afterId: number, limit = 10_000): RecordedEntry[] {
    const rows = this.#db
      .prepare('SELECT id, type, data FROM journal WHERE id > ? ORDER BY id LIMIT ?')
      .all(afterId, limit) as { id: number; type: string; data: string | null }[];
    return rows.map((row) => ({
      id: row.id,
      type: row.type,
      data: row.data ? (JSON.parse(row.data) as unknown) : null,
    }));
  }

  record(type: SimulatorEventName | string, payload: unknown): number {
    const p = (payload ?? {}) as Record<string, unknown>;
    const account =
      typeof p['account'] === 'string' ? p['account'] : typeof p['user'] === 'string' ? p['user'] : null;
    const subject =
      typeof p['name'] === 'string' ? p['name'] : typeof p['path'] === 'string' ? p['path'] : null;
    const message =
      typeof p['reason'] === 'string' ? p['reason'] : typeof p['message'] === 'string' ? p['message'] : null;
    const id = ++this.#lastId;
    try {
      this.#db
        .prepare(
          'INSERT INTO journal (id, at, type, account, subject, message, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(id, this.#clock.now(), type, account, subject, message, JSON.stringify(payload));
      if (++this.#writes % Math.min(500, Math.ceil(this.#limit / 10)) === 0) this.#trim();
    } catch {
      // A full or failing disk: the event still happened and its own operation reports the
      // failure; losing the journal line must not turn it into a crash.
      this.#lost++;
    }
    for (const listener of this.#listeners) listener({ id, type, data: payload });
    return id;
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

  /** Forgets every entry (a reset); ids keep rising so a reconnecting event stream is not confused. */
  reset(): void {
    this.#db.prepare('DELETE FROM journal').run();
  }

  /** The newest `limit` entries (default 500) that pass the filter, oldest first. */
  query(filter: JournalFilter = {}): JournalEntry[] {
    const where: string[] = [];
    const values: (string | number)[] = [];
    if (filter.type) {
      const types = typeCondition(filter.type);
      where.push(types.sql);
      values.push(...types.values);
    }
    if (filter.exclude) {
      const types = typeCondition(filter.exclude);
      where.push(`NOT ${types.sql}`);
      values.push(...types.values);
    }
    if (filter.file !== undefined) {
      where.push(
        `((type LIKE 'upload:%' OR type LIKE 'file:%') AND json_extract(data, '$.id') = ?
          OR json_extract(data, '$.fileId') = ?)`,
      );
      values.push(filter.file, filter.file);
    }
    if (filter.account) {
      where.push('account = ? COLLATE NOCASE');
      values.push(filter.account);
    }
    if (filter.since !== undefined) {
      where.push('at >= ?');
      values.push(filter.since);
    }
    if (filter.operation && Object.values(OPERATION_TYPES).includes(filter.operation)) {
      const types = Object.keys(OPERATION_TYPES).filter((t) => OPERATION_TYPES[t] === filter.operation);
      where.push(`type IN (${types.map(() => '?').join(', ')})`);
      values.push(...types);
    } else if (filter.operation) {
      where.push("type = 'sftp:operation' AND json_extract(data, '$.operation') = ?");
      values.push(filter.operation);
    }
    const limit = filter.limit ?? 500;
    const matchesPath = filter.path ? pathMatcher(filter.path) : undefined;
    const sql = `SELECT * FROM journal ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC${
      matchesPath ? '' : ' LIMIT ?'
    }`;
    let rows = this.#db.prepare(sql).all(...values, ...(matchesPath ? [] : [limit])) as JournalRow[];
    if (matchesPath)
      rows = rows.filter((row) => row.subject !== null && matchesPath(row.subject)).slice(0, limit);
    return rows
      .reverse()
      .map((row) => ({ ...row, data: row.data ? (JSON.parse(row.data) as unknown) : null }));
  }

  /** SFTP requests, logins and processing runs, as verify sees them. */
  operations(filter: Omit<JournalFilter, 'type'> = {}): OperationEntry[] {
    const entries = filter.operation
      ? this.query(filter)
      : Object.keys(OPERATION_TYPES).flatMap((type) => this.query({ ...filter, type }));
    return entries
      .map(toOperationEntry)
      .filter((entry): entry is OperationEntry => entry !== undefined)
      .sort((a, b) => a.id - b.id);
  }

  /** Checks how often an operation happened; on a miss, explains the closest entries. */
  verify(input: unknown): Verification {
    const expectation = parseJournalExpectation(input);
    return verifyJournal(this.operations({ limit: this.#limit }), expectation);
  }

  #trim(): void {
    this.#db.prepare('DELETE FROM journal WHERE id <= (SELECT MAX(id) FROM journal) - ?').run(this.#limit);
  }
}

/** `a:b,c:*` as SQL over the type column: exact names, or a family by its prefix. */
function typeCondition(list: string): { sql: string; values: (string | number)[] } {
  const names = list
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const parts = names.map((name) => (name.endsWith('*') ? 'substr(type, 1, ?) = ?' : 'type = ?'));
  const values = names.flatMap((name) => {
    const prefix = name.slice(0, -1);
    return name.endsWith('*') ? [prefix.length, prefix] : [name];
  });
  return { sql: parts.length > 0 ? `(${parts.join(' OR ')})` : '(1 = 1)', values };
}
