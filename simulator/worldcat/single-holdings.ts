import type { Db } from '../storage/open-database.ts';
import { isWatched, logChange } from './change-log.ts';
import { recordWorldCatCounts } from './worldcat-history.ts';

/** Why an unset did or did not remove the holding. */
export type UnsetOutcome = 'unset' | 'not-held' | 'blocked-by-lbds' | 'blocked-by-lhrs' | 'blocked-by-both';

/**
 * One institution's holding set or unset outside a file (the Metadata API): the same tables,
 * change log and history a Data Sync commit writes, in one transaction, with no file behind it.
 */
export class SingleHoldings {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /**
   * Sets the holding; false when it was already set. `collectionId` is the collection whose record
   * output delivers it (the institution's default: the API names none).
   */
  set(symbol: string, ocn: string, at: number, collectionId: string): boolean {
    return this.#db.transaction(() => {
      if (this.#held(symbol, ocn)) return false;
      if (isWatched(this.#db, symbol)) this.#log('held', { symbol, ocn, at, collectionId });
      this.#db.prepare('INSERT INTO holdings (symbol, ocn, file_id) VALUES (?, ?, NULL)').run(symbol, ocn);
      recordWorldCatCounts(this.#db, { at, fileId: null, symbols: [symbol] });
      return true;
    })();
  }

  /**
   * Unsets the holding. With `cascade` (OCLC's default) the institution's LHRs and LBDs on the
   * record go with it; without, they block the unset, as OCLC answers.
   */
  unset(
    symbol: string,
    ocn: string,
    at: number,
    cascade: boolean,
    defaultCollectionId: string,
  ): UnsetOutcome {
    return this.#db.transaction((): UnsetOutcome => {
      if (!this.#held(symbol, ocn)) return 'not-held';
      const lhrs = this.#count('SELECT count(*) AS n FROM lhrs WHERE symbol = ? AND ocn = ?', symbol, ocn);
      const lbds = this.#count('SELECT count(*) AS n FROM lbd WHERE symbol = ? AND ocn = ?', symbol, ocn);
      if (!cascade && (lhrs > 0 || lbds > 0))
        return lhrs > 0 && lbds > 0 ? 'blocked-by-both' : lhrs > 0 ? 'blocked-by-lhrs' : 'blocked-by-lbds';
      // Delivered as removed by the collection whose file set it, else the default one.
      const setBy = this.#db
        .prepare(
          'SELECT u.collection_id FROM holdings h JOIN uploads u ON u.id = h.file_id WHERE h.symbol = ? AND h.ocn = ?',
        )
        .get(symbol, ocn) as { collection_id: string | null } | undefined;
      const collectionId = setBy?.collection_id ?? defaultCollectionId;
      if (isWatched(this.#db, symbol)) this.#log('released', { symbol, ocn, at, collectionId });
      this.#db.prepare('DELETE FROM holdings WHERE symbol = ? AND ocn = ?').run(symbol, ocn);
      this.#db.prepare('DELETE FROM lhrs WHERE symbol = ? AND ocn = ?').run(symbol, ocn);
      this.#db.prepare('DELETE FROM lbd WHERE symbol = ? AND ocn = ?').run(symbol, ocn);
      recordWorldCatCounts(this.#db, { at, fileId: null, symbols: [symbol] });
      return 'unset';
    })();
  }

  #held(symbol: string, ocn: string): boolean {
    return (
      this.#db.prepare('SELECT 1 FROM holdings WHERE symbol = ? AND ocn = ?').get(symbol, ocn) !== undefined
    );
  }

  #count(sql: string, symbol: string, ocn: string): number {
    return (this.#db.prepare(sql).get(symbol, ocn) as { n: number }).n;
  }

  #log(
    kind: 'held' | 'released',
    { symbol, ocn, at, collectionId }: { symbol: string; ocn: string; at: number; collectionId: string },
  ): void {
    const lsn = this.#db
      .prepare('SELECT lsn FROM lbd WHERE symbol = ? AND ocn = ? LIMIT 1')
      .get(symbol, ocn) as { lsn: string } | undefined;
    logChange(this.#db, { at, kind, symbol, ocn, lsn: lsn?.lsn ?? null, collectionId, fromOcn: null });
  }
}
