import type { Db } from '../storage/open-database.ts';
import type { SingleHoldings } from './single-holdings.ts';
import { recordWorldCatCounts } from './worldcat-history.ts';

/** One LHR as the Metadata API writes it: the fields Data Sync keeps, and the record as sent. */
export interface LhrWrite {
  /** The LHR's control number (the LSN a Data Sync file names it by). */
  lsn: string;
  ocn: string;
  holdingLibrary: string;
  location: string;
  callNumber: string;
  barcodes: readonly string[];
  marc: Buffer;
}

/** An LHR as stored, with the record the API wrote (null for one a file wrote). */
export interface StoredLhr extends Omit<LhrWrite, 'marc'> {
  marc: Buffer | null;
  fileId: number | null;
}

interface LhrRow {
  lsn: string;
  ocn: string;
  holding_library: string;
  location: string;
  call_number: string;
  barcodes: string;
  file_id: number | null;
  marc: Buffer | null;
}

/** Control numbers the API gives new LHRs and LBDs start here, far from test LSNs. */
const FIRST_CONTROL_NUMBER = 200_000_000;

/**
 * LHRs created, replaced and deleted one at a time (the Metadata API), in the same `lhrs` table a
 * Data Sync LHR file writes: one record either way, keyed by institution and control number.
 */
export class SingleLhrs {
  readonly #db: Db;
  readonly #holdings: SingleHoldings;

  constructor(db: Db, holdings: SingleHoldings) {
    this.#db = db;
    this.#holdings = holdings;
  }

  /** The next control number for a record the API creates (LHR or LBD: one sequence). */
  nextControlNumber(): string {
    return this.#db.transaction(() => {
      const row = this.#db.prepare("SELECT value FROM counters WHERE name = 'local_control_number'").get() as
        { value: number } | undefined;
      const next = (row?.value ?? FIRST_CONTROL_NUMBER) + 1;
      this.#db
        .prepare("INSERT OR REPLACE INTO counters (name, value) VALUES ('local_control_number', ?)")
        .run(next);
      return String(next);
    })();
  }

  get(symbol: string, lsn: string): StoredLhr | undefined {
    const row = this.#db
      .prepare(
        `SELECT lsn, ocn, holding_library, location, call_number, barcodes, file_id, marc
         FROM lhrs WHERE symbol = ? AND lsn = ?`,
      )
      .get(symbol, lsn) as LhrRow | undefined;
    if (!row) return undefined;
    return {
      lsn: row.lsn,
      ocn: row.ocn,
      holdingLibrary: row.holding_library,
      location: row.location,
      callNumber: row.call_number,
      barcodes: JSON.parse(row.barcodes) as string[],
      fileId: row.file_id,
      marc: row.marc,
    };
  }

  /**
   * Creates or replaces the LHR and sets the institution's holding on its OCN when not set, as an
   * LHR file does. `collectionId` delivers a new holding in record output.
   */
  put(symbol: string, lhr: LhrWrite, at: number, collectionId: string): 'created' | 'replaced' {
    return this.#db.transaction(() => {
      const existed = this.get(symbol, lhr.lsn) !== undefined;
      this.#holdings.set(symbol, lhr.ocn, at, collectionId);
      this.#db
        .prepare(
          `INSERT OR REPLACE INTO lhrs (symbol, lsn, ocn, holding_library, location, call_number, barcodes, file_id, marc)
           VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
        )
        .run(
          symbol,
          lhr.lsn,
          lhr.ocn,
          lhr.holdingLibrary,
          lhr.location,
          lhr.callNumber,
          JSON.stringify(lhr.barcodes),
          lhr.marc,
        );
      recordWorldCatCounts(this.#db, { at, fileId: null, symbols: [symbol] });
      return existed ? 'replaced' : 'created';
    })();
  }

  /** Deletes the LHR (the holding stays, as OCLC leaves it); false when there was none. */
  delete(symbol: string, lsn: string, at: number): boolean {
    return this.#db.transaction(() => {
      const gone =
        this.#db.prepare('DELETE FROM lhrs WHERE symbol = ? AND lsn = ?').run(symbol, lsn).changes > 0;
      if (gone) recordWorldCatCounts(this.#db, { at, fileId: null, symbols: [symbol] });
      return gone;
    })();
  }
}
