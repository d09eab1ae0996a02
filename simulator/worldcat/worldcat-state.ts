import { createReadStream } from 'node:fs';
import { matchKeys } from '../../oclc/datasync/match-keys.ts';
import { normalizeOcn, ocnFrom001, ocnFrom035 } from '../../oclc/datasync/ocn.ts';
import { formatForName, readMarc } from '../../oclc/marc/read-marc.ts';
import type { Db } from '../store/open-database.ts';

/** Read views of the simulated WorldCat: holdings per symbol; loading of known records. */
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
