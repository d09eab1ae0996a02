import type { Db } from '../storage/open-database.ts';
import type { NumberBlocks } from './number-blocks.ts';
import { logStagedHoldings } from './change-log.ts';
import { recordWorldCatCounts } from './worldcat-history.ts';

/** What a file did to holdings: set (sent as sets, held before or not) and really cancelled. */
export interface HoldingsChanged {
  set: number;
  /** Cancels of holdings that were held; a cancel of an OCN never held changes nothing. */
  cancelled: number;
}

/** Applies a file's staged changes to the main database in one transaction. */
export function applyBibFile(
  main: Db,
  stagingPath: string,
  job: {
    fileId: number;
    symbol: string;
    collectionId: string;
    /** When the commit happens on the simulator clock (the change log's and the history's time). */
    at: number;
    counters: { ocn: NumberBlocks; provisional: NumberBlocks };
    /** A key list: its rows may change other symbols' holdings (their Library Code). */
    perRowSymbols?: boolean;
    finish: (holdings: HoldingsChanged) => void;
  },
): void {
  main.prepare('ATTACH DATABASE ? AS s').run(stagingPath);
  try {
    main.transaction(() => {
      const { fileId, symbol } = job;
      const holdings = holdingsChanged(main, symbol);
      logStagedHoldings(main, {
        at: job.at,
        symbol,
        collectionId: job.collectionId,
        stagedTable: 's.s_holdings',
        perRowSymbols: job.perRowSymbols,
      });
      keepRecords(main, job.at);
      // A NULL symbol in scratch is the file's institution (a key list row may name another).
      main
        .prepare(
          `INSERT OR REPLACE INTO holdings (symbol, ocn, file_id)
           SELECT coalesce(symbol, ?), ocn, ? FROM s.s_holdings WHERE cancel = 0`,
        )
        .run(symbol, fileId);
      main
        .prepare(
          `DELETE FROM holdings WHERE (symbol, ocn) IN
             (SELECT coalesce(symbol, ?), ocn FROM s.s_holdings WHERE cancel = 1)`,
        )
        .run(symbol);
      main
        .prepare(
          `INSERT OR REPLACE INTO lbd (symbol, lsn, ocn) SELECT ?, lsn, CAST(ocn AS TEXT) FROM s.s_lbd WHERE ocn IS NOT NULL`,
        )
        .run(symbol);
      main
        .prepare(`DELETE FROM lbd WHERE symbol = ? AND lsn IN (SELECT lsn FROM s.s_lbd WHERE ocn IS NULL)`)
        .run(symbol);
      main
        .prepare('INSERT OR IGNORE INTO worldcat_keys (key, ocn) SELECT key, CAST(ocn AS TEXT) FROM s.s_keys')
        .run();
      main
        .prepare(
          'INSERT OR IGNORE INTO worldcat_created (ocn, symbol, lsn, file_id) SELECT CAST(ocn AS TEXT), ?, lsn, ? FROM s.s_created',
        )
        .run(symbol, fileId);
      main
        .prepare(
          `INSERT INTO record_outcomes (file_id, seq, offset, locator, lsn, incoming_ocn, worldcat_ocn, action, errors)
           SELECT ?, seq, offset, locator, lsn, incoming_ocn, worldcat_ocn, action, errors FROM s.s_outcomes`,
        )
        .run(fileId);
      recordWorldCatCounts(main, { at: job.at, fileId, symbols: [symbol] });
      job.counters.ocn.release();
      job.counters.provisional.release();
      job.finish(holdings);
    })();
  } finally {
    main.prepare('DETACH DATABASE s').run();
  }
}

/**
 * Masters for record output (staged only for watched institutions): a number's first record is
 * kept; a `replace` overwrites WorldCat's record and is an edit every holder hears about.
 */
function keepRecords(main: Db, at: number): void {
  main
    .prepare(
      'INSERT OR IGNORE INTO worldcat_records (ocn, marc, updated_at) SELECT ocn, marc, ? FROM s.s_records WHERE replace = 0',
    )
    .run(at);
  main
    .prepare(
      'INSERT OR REPLACE INTO worldcat_records (ocn, marc, updated_at) SELECT ocn, marc, ? FROM s.s_records WHERE replace = 1',
    )
    .run(at);
  main
    .prepare(
      "INSERT INTO worldcat_changes (at, kind, ocn) SELECT ?, 'edited', ocn FROM s.s_records WHERE replace = 1",
    )
    .run(at);
}

/** Counted before the changes are applied, in the same transaction. */
function holdingsChanged(main: Db, symbol: string): HoldingsChanged {
  const row = main
    .prepare(
      `SELECT count(*) FILTER (WHERE cancel = 0) AS "set",
              count(*) FILTER (WHERE cancel = 1 AND EXISTS
                (SELECT 1 FROM holdings m WHERE m.symbol = coalesce(h.symbol, ?) AND m.ocn = h.ocn)) AS cancelled
       FROM s.s_holdings h`,
    )
    .get(symbol) as HoldingsChanged;
  return { set: row.set, cancelled: row.cancelled };
}
