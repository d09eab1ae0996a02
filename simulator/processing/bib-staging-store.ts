import type Database from 'better-sqlite3';
import { bibLookups, type BibLookups } from '../worldcat/bib-lookups.ts';
import { BatchInsert } from './batch-insert.ts';
import { BloomFilter } from './bloom-filter.ts';
import { ocnKey } from './bib-staging.ts';

type Mapping = { ocn: string | null };

/**
 * The file's changes as it is read: batched into the scratch database, with Bloom filters and
 * small pending maps answering "seen in this file?" so most records cost no lookup at all.
 * Reads of the main database are skipped while its tables are still empty (a first load).
 */
export class BibStagingStore {
  readonly #ownRangeStart: number;
  readonly #outcomes: BatchInsert;
  readonly #holdings: BatchInsert;
  readonly #lbd: BatchInsert;
  readonly #keys: BatchInsert;
  readonly #created: BatchInsert;
  readonly #records: BatchInsert;
  readonly #pendingLbd = new Map<string, Mapping>();
  readonly #pendingKeys = new Map<string, string>();
  readonly #pendingCreated = new Set<string>();
  readonly #lsnSeen: BloomFilter;
  readonly #keySeen: BloomFilter;
  readonly #worldcat: BibLookups;
  readonly #q: ReturnType<typeof queries>;

  constructor(
    main: Database.Database,
    staging: Database.Database,
    options: { symbol: string; ownRangeStart: number; fileBytes: number },
  ) {
    this.#ownRangeStart = options.ownRangeStart;
    // A MARC record is rarely under 100 bytes, so this overestimates the records in the file.
    this.#lsnSeen = BloomFilter.forEntries(options.fileBytes / 100);
    this.#keySeen = BloomFilter.forEntries(options.fileBytes / 100);
    this.#outcomes = new BatchInsert(staging, 'INSERT INTO s_outcomes', 8);
    const sorted = { sorted: true };
    this.#holdings = new BatchInsert(staging, 'INSERT INTO s_holdings_log (ocn, cancel, lsn, symbol)', 4);
    // The first copy of a record in the file becomes its master, unless a later one replaces it.
    this.#records = new BatchInsert(staging, 'INSERT OR IGNORE INTO s_records (ocn, marc, replace)', 3);
    this.#lbd = new BatchInsert(staging, 'INSERT OR REPLACE INTO s_lbd (lsn, ocn)', 2, sorted);
    this.#keys = new BatchInsert(staging, 'INSERT OR IGNORE INTO s_keys (key, ocn)', 2, sorted);
    // New OCNs come in ascending order: appended to the table's rowid B-tree, no sort needed.
    this.#created = new BatchInsert(staging, 'INSERT OR IGNORE INTO s_created (ocn, lsn)', 2);
    this.#q = queries(staging);
    this.#worldcat = bibLookups(main, options.symbol);
  }

  outcome(
    seq: number,
    offset: number,
    locator: string,
    lsn: string,
    incoming: string,
    ocn: string,
    action: string,
    errors: string | null,
  ): void {
    this.#outcomes.add(seq, offset, locator, lsn, incoming, ocn, action, errors);
  }

  /**
   * `lsn` only where the change log wants it (null otherwise: nothing is stored for it); `symbol`
   * is another institution's (a key list's Library Code), undefined for the file's own.
   */
  setHolding(ocn: string, op: 'set' | 'cancel', lsn: string | null, symbol?: string): void {
    this.#holdings.add(ocnKey(ocn), op === 'cancel' ? 1 : 0, lsn, symbol ?? null);
  }

  /** A record WorldCat keeps as the master of `ocn` (record output needs it); `replace` overwrites. */
  record(ocn: string, marc: Buffer, replace: boolean): void {
    this.#records.add3(ocn, marc, replace ? 1 : 0);
  }

  /** The OCN an LSN is mapped to now (this file's changes first), or null. */
  currentLsn(lsn: string): string | null {
    const pending = this.#pendingLbd.get(lsn);
    if (pending) return pending.ocn;
    if (this.#lsnSeen.mightHave(lsn)) {
      const staged = this.#q.stagedLbd.get(lsn) as { ocn: number | Buffer | null } | undefined;
      if (staged) return staged.ocn === null ? null : String(staged.ocn);
    }
    return this.#worldcat.lbdOcn(lsn);
  }

  mapLsn(lsn: string, ocn: string | null): void {
    this.#pendingLbd.set(lsn, { ocn });
    this.#lsnSeen.add(lsn);
    this.#lbd.add2(lsn, ocn === null ? null : ocnKey(ocn));
  }

  created(ocn: string, lsn: string, keys: readonly string[]): void {
    this.#created.add2(ocnKey(ocn), lsn);
    this.#pendingCreated.add(ocn);
    for (const key of keys) {
      if (this.#pendingKeys.has(key) || (this.#keySeen.mightHave(key) && this.#q.stagedKey.get(key)))
        continue;
      this.#pendingKeys.set(key, ocn);
      this.#keySeen.add(key);
      this.#keys.add2(key, ocnKey(ocn));
    }
  }

  fullMatch(keys: readonly string[]): string | undefined {
    for (const key of keys) {
      const pending = this.#pendingKeys.get(key);
      if (pending) return pending;
      const staged = this.#keySeen.mightHave(key)
        ? (this.#q.stagedKey.get(key) as { ocn: number | Buffer } | undefined)
        : undefined;
      if (staged) return String(staged.ocn);
      const main = this.#worldcat.keyOcn(key);
      if (main) return main;
    }
    return undefined;
  }

  /** Only numbers from the simulator's own range can have been created by an institution. */
  createdBy(ocn: string, symbol: string): boolean {
    if (Number(ocn) < this.#ownRangeStart) return false;
    if (this.#pendingCreated.has(ocn)) return true;
    // Created numbers are canonical, so an OCN written otherwise was never created here.
    const key = ocnKey(ocn);
    if (typeof key === 'number' && this.#q.stagedCreated.get(key)) return true;
    return this.#worldcat.createdBy(ocn, symbol);
  }

  flush(): void {
    for (const batch of [this.#outcomes, this.#holdings, this.#lbd, this.#keys, this.#created, this.#records])
      batch.flush();
    this.#pendingLbd.clear();
    this.#pendingKeys.clear();
    this.#pendingCreated.clear();
  }
}

function queries(staging: Database.Database) {
  return {
    stagedLbd: staging.prepare('SELECT ocn FROM s_lbd WHERE lsn = ?'),
    stagedKey: staging.prepare('SELECT ocn FROM s_keys WHERE key = ?'),
    stagedCreated: staging.prepare('SELECT 1 FROM s_created WHERE ocn = ?'),
  };
}
