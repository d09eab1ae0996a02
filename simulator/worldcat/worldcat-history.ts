import type { Db } from '../storage/open-database.ts';

/** An institution's holdings and LHR counts just after one file's commit. */
export interface WorldCatCounts {
  at: number;
  symbol: string;
  holdings: number;
  lhrs: number;
  /** The file whose commit this follows (null for a change made without a file). */
  fileId: number | null;
}

/**
 * Records each symbol's counts inside the commit that changed them, so the history is exactly as
 * many points as commits and never disagrees with the holdings. Counting walks the primary key's
 * range for one symbol (a few ms per 100k holdings).
 */
export function recordWorldCatCounts(
  db: Db,
  commit: { at: number; fileId: number | null; symbols: string[] },
): void {
  const holdings = db.prepare('SELECT COUNT(*) AS n FROM holdings WHERE symbol = ?');
  const lhrs = db.prepare('SELECT COUNT(*) AS n FROM lhrs WHERE symbol = ?');
  const insert = db.prepare(
    'INSERT INTO worldcat_history (at, symbol, holdings, lhrs, file_id) VALUES (?, ?, ?, ?, ?)',
  );
  for (const symbol of new Set(commit.symbols)) {
    const h = (holdings.get(symbol) as { n: number }).n;
    const l = (lhrs.get(symbol) as { n: number }).n;
    insert.run(commit.at, symbol, h, l, commit.fileId);
  }
}

/** The newest `limit` points (oldest first), for one symbol or all. */
export function readWorldCatHistory(db: Db, filter: { symbol?: string; limit: number }): WorldCatCounts[] {
  const rows = db
    .prepare(
      `SELECT at, symbol, holdings, lhrs, file_id FROM worldcat_history
       WHERE (? IS NULL OR symbol = ?) ORDER BY seq DESC LIMIT ?`,
    )
    .all(filter.symbol ?? null, filter.symbol ?? null, filter.limit) as {
    at: number;
    symbol: string;
    holdings: number;
    lhrs: number;
    file_id: number | null;
  }[];
  return rows
    .reverse()
    .map((r) => ({ at: r.at, symbol: r.symbol, holdings: r.holdings, lhrs: r.lhrs, fileId: r.file_id }));
}

/** Counts as they are now, for symbols the history has not seen yet or to end a line at "now". */
export function currentCounts(db: Db, symbol: string): { holdings: number; lhrs: number } {
  const n = (sql: string): number => (db.prepare(sql).get(symbol) as { n: number }).n;
  return {
    holdings: n('SELECT COUNT(*) AS n FROM holdings WHERE symbol = ?'),
    lhrs: n('SELECT COUNT(*) AS n FROM lhrs WHERE symbol = ?'),
  };
}
