import type { Db } from '../storage/open-database.ts';

/** What happened to a record: a holding set or removed, the record edited, or merged into another. */
export type ChangeKind = 'held' | 'released' | 'edited' | 'merged';

export interface WorldCatChange {
  seq: number;
  at: number;
  kind: ChangeKind;
  /** Whose holding (held, released); null for edits and merges, which concern every holder. */
  symbol: string | null;
  ocn: string;
  lsn: string | null;
  /** The collection whose file set or removed the holding. */
  collectionId: string | null;
  /** merged: the number that was merged into `ocn`. */
  fromOcn: string | null;
}

/** Whether holdings changes of this institution are logged (one of its collections has output). */
export function isWatched(db: Db, symbol: string): boolean {
  return db.prepare('SELECT 1 FROM worldcat_watchers WHERE symbol = ?').get(symbol) !== undefined;
}

/**
 * Logs the holdings a staged file is about to set (that were not held) and remove (that were),
 * with their LSNs. Call inside the commit's transaction, before the holdings change. Only for
 * watched institutions: the log feeds record output, and logging a million-record first load
 * of an institution nobody delivers to would only slow its commit.
 */
export function logStagedHoldings(
  db: Db,
  change: {
    at: number;
    symbol: string;
    collectionId: string;
    stagedTable: string;
    /** A key list's rows may name other symbols (its Library Code) in the table's `symbol` column. */
    perRowSymbols?: boolean;
  },
): void {
  if (!change.perRowSymbols) {
    if (!isWatched(db, change.symbol)) return;
    db.prepare(
      `INSERT INTO worldcat_changes (at, kind, symbol, ocn, lsn, collection_id)
       SELECT ?, CASE h.cancel WHEN 0 THEN 'held' ELSE 'released' END, ?, h.ocn, h.lsn, ?
       FROM ${change.stagedTable} h
       WHERE (h.cancel = 0) = (NOT EXISTS (SELECT 1 FROM holdings x WHERE x.symbol = ? AND x.ocn = h.ocn))
       ORDER BY h.seq`,
    ).run(change.at, change.symbol, change.collectionId, change.symbol);
    return;
  }
  db.prepare(
    `INSERT INTO worldcat_changes (at, kind, symbol, ocn, lsn, collection_id)
     SELECT ?, CASE h.cancel WHEN 0 THEN 'held' ELSE 'released' END, coalesce(h.symbol, ?), h.ocn, h.lsn, ?
     FROM ${change.stagedTable} h
     WHERE coalesce(h.symbol, ?) IN (SELECT symbol FROM worldcat_watchers)
       AND (h.cancel = 0) = (NOT EXISTS
         (SELECT 1 FROM holdings x WHERE x.symbol = coalesce(h.symbol, ?) AND x.ocn = h.ocn))
     ORDER BY h.seq`,
  ).run(change.at, change.symbol, change.collectionId, change.symbol, change.symbol);
}

/** Logs the holdings an LHR file is about to set for watched institutions (before it sets them). */
export function logLhrHoldings(db: Db, file: { at: number; collectionId: string }): void {
  db.prepare(
    `INSERT INTO worldcat_changes (at, kind, symbol, ocn, lsn, collection_id)
     SELECT ?, 'held', h.symbol, h.ocn, NULL, ? FROM s.s_holding h
     WHERE h.symbol IN (SELECT symbol FROM worldcat_watchers)
       AND NOT EXISTS (SELECT 1 FROM holdings x WHERE x.symbol = h.symbol AND x.ocn = h.ocn)
     GROUP BY h.symbol, h.ocn ORDER BY min(h.rowid)`,
  ).run(file.at, file.collectionId);
}

/** Appends one change (edits, merges: the store's own writes). */
export function logChange(db: Db, change: Omit<WorldCatChange, 'seq'>): void {
  db.prepare(
    `INSERT INTO worldcat_changes (at, kind, symbol, ocn, lsn, collection_id, from_ocn)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(change.at, change.kind, change.symbol, change.ocn, change.lsn, change.collectionId, change.fromOcn);
}

/** Reads of the change log for record output. */
export class ChangeLog {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** The sequence number of the latest change (0 when none). */
  lastSeq(): number {
    const row = this.#db.prepare('SELECT max(seq) AS seq FROM worldcat_changes').get() as {
      seq: number | null;
    };
    return row.seq ?? 0;
  }

  /** The last change made at or before `at` (changes are numbered in time order). */
  lastSeqAt(afterSeq: number, at: number): number {
    const row = this.#db
      .prepare('SELECT max(seq) AS seq FROM worldcat_changes WHERE seq > ? AND at <= ?')
      .get(afterSeq, at) as {
      seq: number | null;
    };
    return row.seq ?? afterSeq;
  }

  /** Changes after `afterSeq` up to and including `untilSeq`, oldest first, a page at a time. */
  *between(afterSeq: number, untilSeq: number, page = 10_000): Generator<WorldCatChange> {
    const query = this.#db.prepare(
      `SELECT seq, at, kind, symbol, ocn, lsn, collection_id AS collectionId, from_ocn AS fromOcn
       FROM worldcat_changes WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`,
    );
    for (let from = afterSeq; ;) {
      const rows = query.all(from, untilSeq, page) as WorldCatChange[];
      yield* rows;
      if (rows.length < page) return;
      from = rows.at(-1)?.seq ?? untilSeq;
    }
  }

  /** Institutions whose holdings changes are logged; set from the configuration at start. */
  watch(symbols: readonly string[]): void {
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM worldcat_watchers').run();
      const insert = this.#db.prepare('INSERT OR IGNORE INTO worldcat_watchers (symbol) VALUES (?)');
      for (const symbol of symbols) insert.run(symbol);
    })();
  }
}
