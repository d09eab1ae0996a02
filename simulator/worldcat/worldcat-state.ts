import { createReadStream } from 'node:fs';
import { matchKeys } from '../../oclc/datasync/match-keys.ts';
import { normalizeOcn, ocnFrom001, ocnFrom035 } from '../../oclc/datasync/ocn.ts';
import { formatForName, readMarc } from '../../oclc/marc/read-marc.ts';
import type { Db } from '../store/open-database.ts';

export interface RecordOutcome {
  seq: number;
  offset: number;
  locator: string;
  lsn: string;
  incomingOcn: string;
  worldcatOcn: string;
  action: string;
  errors: { type: string; severity: string; message: string; detail?: string }[];
}

interface OutcomeRow {
  seq: number;
  offset: number;
  locator: string;
  lsn: string;
  incoming_ocn: string;
  worldcat_ocn: string;
  action: string;
  errors: string | null;
}

/** Read views of the simulated WorldCat: holdings per symbol, per-record outcomes per file. */
export class WorldCatState {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  holdings(symbol: string): string[] {
    const rows = this.#db
      .prepare('SELECT ocn FROM holdings WHERE symbol = ? ORDER BY length(ocn), ocn')
      .all(symbol) as { ocn: string }[];
    return rows.map((r) => r.ocn);
  }

  outcomes(
    fileId: number,
    page: { offset?: number; limit?: number } = {},
  ): { total: number; outcomes: RecordOutcome[] } {
    const total = (
      this.#db.prepare('SELECT count(*) AS n FROM record_outcomes WHERE file_id = ?').get(fileId) as {
        n: number;
      }
    ).n;
    const rows = this.#db
      .prepare('SELECT * FROM record_outcomes WHERE file_id = ? ORDER BY seq LIMIT ? OFFSET ?')
      .all(fileId, page.limit ?? 1000, page.offset ?? 0) as OutcomeRow[];
    return {
      total,
      outcomes: rows.map((r) => ({
        seq: r.seq,
        offset: r.offset,
        locator: r.locator,
        lsn: r.lsn,
        incomingOcn: r.incoming_ocn,
        worldcatOcn: r.worldcat_ocn,
        action: r.action,
        errors: r.errors ? (JSON.parse(r.errors) as RecordOutcome['errors']) : [],
      })),
    };
  }

  /** Feeds the full match from MARC files of WorldCat records (config `worldcat.records`). */
  async loadRecords(files: readonly string[]): Promise<number> {
    const insert = this.#db.prepare('INSERT OR IGNORE INTO worldcat_keys (key, ocn) VALUES (?, ?)');
    let loaded = 0;
    for (const file of files) {
      for await (const item of readMarc(createReadStream(file), formatForName(file))) {
        if (item.kind !== 'record') continue;
        const ocn =
          ocnFrom035(item.record) ??
          ocnFrom001(item.record) ??
          normalizeOcn(item.record.control('001') ?? '');
        if (!ocn) continue;
        for (const key of matchKeys(item.record)) insert.run(key, ocn);
        loaded++;
      }
    }
    return loaded;
  }
}
