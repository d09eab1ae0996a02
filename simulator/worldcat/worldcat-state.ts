import { createReadStream } from 'node:fs';
import { matchKeys } from '../../oclc/datasync/match-keys.ts';
import { normalizeOcn, ocnFrom001, ocnFrom035 } from '../../oclc/datasync/ocn.ts';
import type { Db } from '../storage/open-database.ts';
import { ChangeLog } from './change-log.ts';
import { WorldCatRecords } from './worldcat-records.ts';
import { ocnHolders } from './ocn-holders.ts';
import { SingleHoldings } from './single-holdings.ts';
import { SingleLhrs } from './single-lhrs.ts';
import { currentCounts, readWorldCatHistory, type WorldCatCounts } from './worldcat-history.ts';

export interface LhrView {
  ocn: string;
  lsn: string;
  holdingLibrary: string;
  location: string;
  callNumber: string;
  barcodes: string[];
  /** The file that set it; null for an LHR the Metadata API wrote. */
  sourceFile: { id: number; name: string | null } | null;
}

interface LhrRow {
  ocn: string;
  lsn: string;
  holding_library: string;
  location: string;
  call_number: string;
  barcodes: string;
  file_id: number | null;
  name: string | null;
}

/** Every table of the simulated WorldCat; only modules in simulator/worldcat/ write SQL on them. */
export const WORLDCAT_TABLES = [
  'holdings',
  'lbd',
  'lhrs',
  'worldcat_keys',
  'worldcat_created',
  'counters',
  'record_outcomes',
  'worldcat_records',
  'worldcat_merges',
  'worldcat_changes',
  'worldcat_history',
] as const;

/** Read views of the simulated WorldCat: holdings per symbol; loading of known records. */
export class WorldCatState {
  readonly #db: Db;
  /** Master records, edits and merges (every write logged in `changes`). */
  readonly records: WorldCatRecords;
  /** What changed, in order: record output reads it. */
  readonly changes: ChangeLog;
  /** Holdings set and unset one at a time, outside a file (the Metadata API). */
  readonly single: SingleHoldings;
  /** LHRs created, replaced and deleted one at a time (the Metadata API). */
  readonly singleLhrs: SingleLhrs;

  constructor(
    db: Db,
    worldcat: { merged: Readonly<Record<string, string>>; deleted: readonly string[] } = {
      merged: {},
      deleted: [],
    },
  ) {
    this.#db = db;
    this.records = new WorldCatRecords(db, worldcat);
    this.changes = new ChangeLog(db);
    this.single = new SingleHoldings(db);
    this.singleLhrs = new SingleLhrs(db, this.single);
  }

  /** Institutions holding `ocn` now, with the collection of the file that set each holding. */
  holders(ocn: string): { symbol: string; collectionId: string | null }[] {
    return (
      this.#db
        .prepare(
          `SELECT h.symbol, u.collection_id FROM holdings h LEFT JOIN uploads u ON u.id = h.file_id
           WHERE h.ocn = ? ORDER BY h.symbol`,
        )
        .all(ocn) as { symbol: string; collection_id: string | null }[]
    ).map((r) => ({ symbol: r.symbol, collectionId: r.collection_id }));
  }

  /** An institution's holding of `ocn`, with the collection of the file that set it; undefined if not held. */
  holdingOf(symbol: string, ocn: string): { collectionId: string | null } | undefined {
    const row = this.#db
      .prepare(
        `SELECT u.collection_id FROM holdings h LEFT JOIN uploads u ON u.id = h.file_id WHERE h.symbol = ? AND h.ocn = ?`,
      )
      .get(symbol, ocn) as { collection_id: string | null } | undefined;
    return row ? { collectionId: row.collection_id } : undefined;
  }

  /** The LSNs an institution's LBDs attach to these OCNs (one pass over its LBDs). */
  lsnsFor(symbol: string, ocns: readonly string[]): Map<string, string> {
    const out = new Map<string, string>();
    if (ocns.length === 0) return out;
    const rows = this.#db
      .prepare('SELECT lsn, ocn FROM lbd WHERE symbol = ? AND ocn IN (SELECT value FROM json_each(?))')
      .all(symbol, JSON.stringify(ocns)) as { lsn: string; ocn: string }[];
    for (const r of rows) if (!out.has(r.ocn)) out.set(r.ocn, r.lsn);
    return out;
  }

  holdings(symbol: string): string[] {
    const rows = this.#db
      .prepare('SELECT ocn FROM holdings WHERE symbol = ? ORDER BY length(ocn), ocn')
      .all(symbol) as { ocn: string }[];
    return rows.map((r) => r.ocn);
  }

  /** The institution's current LHRs, optionally for one OCN, with the file each came from. */
  lhrs(symbol: string, ocn?: string): LhrView[] {
    const rows = this.#db
      .prepare(
        `SELECT l.ocn, l.lsn, l.holding_library, l.location, l.call_number, l.barcodes, l.file_id, u.name
         FROM lhrs l LEFT JOIN uploads u ON u.id = l.file_id
         WHERE l.symbol = ? AND (? IS NULL OR l.ocn = ?) ORDER BY length(l.ocn), l.ocn, l.lsn`,
      )
      .all(symbol, ocn ?? null, ocn ?? null) as LhrRow[];
    return rows.map((r) => ({
      ocn: r.ocn,
      lsn: r.lsn,
      holdingLibrary: r.holding_library,
      location: r.location,
      callNumber: r.call_number,
      barcodes: JSON.parse(r.barcodes) as string[],
      sourceFile: r.file_id === null ? null : { id: r.file_id, name: r.name },
    }));
  }

  /** Holdings and LHR counts after each commit, oldest first (the newest `limit`, default 1000). */
  history(filter: { symbol?: string; limit?: number } = {}): WorldCatCounts[] {
    return readWorldCatHistory(this.#db, { symbol: filter.symbol, limit: filter.limit ?? 1000 });
  }

  /** An institution's holdings and LHR counts now. */
  counts(symbol: string): { holdings: number; lhrs: number } {
    return currentCounts(this.#db, symbol);
  }

  /** The OCN the first of these match keys finds (ISBN, LCCN, title and date), as a file's full match does. */
  fullMatch(keys: readonly string[]): string | undefined {
    const query = this.#db.prepare('SELECT ocn FROM worldcat_keys WHERE key = ?');
    for (const key of keys) {
      const row = query.get(key) as { ocn: string } | undefined;
      if (row) return row.ocn;
    }
    return undefined;
  }

  /** Which of `symbols` hold an OCN (holding, LHRs, linked LSNs) and which file set each. */
  whoHolds(ocn: string, symbols: readonly string[]): ReturnType<typeof ocnHolders> {
    return ocnHolders(this.#db, ocn, symbols);
  }

  /** Forgets every record, holding, LBD and LHR (a reset); known records are loaded again after. */
  reset(): void {
    this.#db.transaction(() => {
      for (const table of WORLDCAT_TABLES) this.#db.prepare(`DELETE FROM ${table}`).run();
    })();
  }

  /** Feeds the full match from MARC files of WorldCat records (config `worldcat.records`). */
  async loadRecords(files: readonly string[]): Promise<number> {
    const insert = this.#db.prepare('INSERT OR IGNORE INTO worldcat_keys (key, ocn) VALUES (?, ?)');
    let loaded = 0;
    if (files.length === 0) return loaded;
    // The readers (saxes for MARCXML) load only when there are records to seed: not before `serve`
    // listens with none configured.
    const { formatForName, readMarc } = await import('../../oclc/marc/read-marc.ts');
    for (const file of files) {
      for await (const item of readMarc(createReadStream(file), formatForName(file))) {
        if (item.kind !== 'record') continue;
        const ocn =
          ocnFrom035(item.record) ??
          ocnFrom001(item.record) ??
          normalizeOcn(item.record.control('001') ?? '');
        if (!ocn) continue;
        for (const key of matchKeys(item.record)) insert.run(key, ocn);
        this.records.seed(ocn, item.record);
        loaded++;
      }
    }
    return loaded;
  }
}
