import type { Db } from '../storage/open-database.ts';
import { logLhrHoldings } from './change-log.ts';
import { recordWorldCatCounts } from './worldcat-history.ts';

/**
 * Applies the staged plan to the main database in one transaction: every replace-all and delete
 * first, then the inserts in file order (a later copy of an LSN wins), then the holdings.
 */
export function applyLhrFile(
  main: Db,
  stagingPath: string,
  file: { fileId: number; collectionId: string; at: number },
  finish: () => void,
): void {
  const { fileId } = file;
  main.prepare('ATTACH DATABASE ? AS s').run(stagingPath);
  try {
    main.transaction(() => {
      logLhrHoldings(main, file);
      main.exec(`
        DELETE FROM lhrs WHERE (symbol, ocn) IN (SELECT symbol, ocn FROM s.s_delete_group);
        DELETE FROM lhrs WHERE (symbol, lsn) IN (SELECT symbol, lsn FROM s.s_delete_lsn);
      `);
      main
        .prepare(
          `INSERT OR REPLACE INTO lhrs (symbol, lsn, ocn, holding_library, location, call_number, barcodes, file_id)
           SELECT l.symbol, l.lsn, l.ocn, l.holding_library, l.location, l.call_number, l.barcodes, ?
           FROM s.s_insert i JOIN s.s_lhr l ON l.seq = i.seq ORDER BY i.seq`,
        )
        .run(fileId);
      main
        .prepare(
          'INSERT OR IGNORE INTO holdings (symbol, ocn, file_id) SELECT symbol, ocn, ? FROM s.s_holding',
        )
        .run(fileId);
      const symbols = main
        .prepare('SELECT symbol FROM s.s_lhr UNION SELECT symbol FROM s.s_delete_lsn')
        .all() as { symbol: string }[];
      recordWorldCatCounts(main, { fileId, at: file.at, symbols: symbols.map((r) => r.symbol) });
      finish();
    })();
  } finally {
    main.prepare('DETACH DATABASE s').run();
  }
}
