import { normalizeOcn } from '../../oclc/datasync/ocn.ts';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import type { MarcRecord } from '../../oclc/marc/marc-record.ts';
import { briefRecord, withControlNumbers } from '../../oclc/datasync/worldcat-record.ts';
import { parseIso2709Record } from '../../oclc/marc/parse-iso2709-record.ts';
import { writeIso2709 } from '../../oclc/marc/write-iso2709.ts';
import type { Db } from '../storage/open-database.ts';
import { logChange } from './change-log.ts';

/** A WorldCat record as the store keeps it, and the numbers merged into it. */
export interface StoredRecord {
  ocn: string;
  /** The master record; undefined when WorldCat knows the number only (no record was ever seen). */
  record: MarcRecord | undefined;
  updatedAt: number | null;
}

export interface MergeResult {
  from: string;
  to: string;
  /** Institutions that held either number, and now hold `to`. */
  holders: string[];
}

/**
 * The simulated WorldCat's records: masters (seeded, created, replaced by processing, edited
 * through the admin API), merges and deletions. Every write logs a change, so record output
 * cannot miss one, whoever writes.
 */
export class WorldCatRecords {
  readonly #db: Db;
  readonly #configMerged: Readonly<Record<string, string>>;
  readonly #deleted: ReadonlySet<string>;

  constructor(db: Db, worldcat: { merged: Readonly<Record<string, string>>; deleted: readonly string[] }) {
    this.#db = db;
    this.#configMerged = worldcat.merged;
    this.#deleted = new Set(worldcat.deleted);
  }

  /** The record under a number, following merges (the answer's `ocn` is the current number). */
  get(ocn: string): StoredRecord | undefined {
    const current = this.current(this.#number(ocn));
    if (current === undefined) return undefined;
    const row = this.#db
      .prepare('SELECT marc, updated_at FROM worldcat_records WHERE ocn = ?')
      .get(current) as { marc: Buffer; updated_at: number | null } | undefined;
    return {
      ocn: current,
      record: row ? readStored(row.marc) : undefined,
      updatedAt: row?.updated_at ?? null,
    };
  }

  /** Masters of several numbers at once (record output); numbers without a master are left out. */
  masters(ocns: readonly string[]): Map<string, MarcRecord> {
    const out = new Map<string, MarcRecord>();
    const query = this.#db.prepare('SELECT marc FROM worldcat_records WHERE ocn = ?');
    for (const ocn of ocns) {
      const row = query.get(ocn) as { marc: Buffer } | undefined;
      if (row) out.set(ocn, readStored(row.marc));
    }
    return out;
  }

  /** The current number: itself, the one it was merged into (chains followed), or undefined if deleted. */
  current(ocn: string): string | undefined {
    let number = ocn;
    const query = this.#db.prepare('SELECT current FROM worldcat_merges WHERE old = ?');
    for (let hops = 0; hops < 20; hops++) {
      const next =
        (query.get(number) as { current: string } | undefined)?.current ?? this.#configMerged[number];
      if (next === undefined) break;
      number = next;
    }
    return this.#deleted.has(number) ? undefined : number;
  }

  /** Merges made through the admin API: old number → current number. */
  merges(): Record<string, string> {
    const rows = this.#db.prepare('SELECT old, current FROM worldcat_merges').all() as {
      old: string;
      current: string;
    }[];
    return Object.fromEntries(rows.map((r) => [r.old, r.current]));
  }

  /**
   * Replaces the master of `ocn` (PATCH /api/worldcat/records/{ocn}); WorldCat keeps its own
   * control number: 001, 003 and the (OCoLC) 035 of the body are replaced by the record's own.
   */
  edit(ocnText: string, record: MarcRecord, at: number): StoredRecord {
    const ocn = this.#number(ocnText);
    const current = this.current(ocn);
    if (current === undefined)
      throw new DataSyncError('WORLDCAT_REFUSED', {
        action: `edit WorldCat record ${ocn}`,
        reason: 'that number is deleted in WorldCat (config worldcat.deleted)',
      });
    if (current !== ocn)
      throw new DataSyncError('WORLDCAT_REFUSED', {
        action: `edit WorldCat record ${ocn}`,
        reason: `${ocn} was merged into ${current}; edit ${current}`,
      });
    const previous = this.get(ocn)?.record;
    const merged019 = previous ? previous.values('019', 'a') : [];
    const master = withControlNumbers(record, ocn, merged019);
    this.#db.transaction(() => {
      this.#put(ocn, master, at);
      logChange(this.#db, {
        at,
        kind: 'edited',
        symbol: null,
        ocn,
        lsn: null,
        collectionId: null,
        fromOcn: null,
      });
    })();
    return { ocn, record: master, updatedAt: at };
  }

  /**
   * Merges `from` into `to` as WorldCat does: holdings, LHRs and LBDs follow, `to`'s 019 gains
   * `from` (and whatever was merged into `from`), and later matching resolves `from` to `to`.
   */
  merge(fromText: string, toText: string, at: number): MergeResult {
    const from = this.#number(fromText);
    const to = this.#number(toText);
    this.#checkMerge(from, to);
    const fromRecord = this.get(from)?.record;
    const toRecord = this.get(to)?.record;
    const numbers019 = [
      ...(toRecord?.values('019', 'a') ?? []),
      from,
      ...(fromRecord?.values('019', 'a') ?? []),
    ];
    const master = withControlNumbers(toRecord ?? fromRecord ?? briefRecord(), to, numbers019);
    return this.#db.transaction(() => {
      const holders = this.#moveHoldings(from, to);
      this.#put(to, master, at);
      this.#db.prepare('DELETE FROM worldcat_records WHERE ocn = ?').run(from);
      this.#db.prepare('UPDATE worldcat_merges SET current = ? WHERE current = ?').run(to, from);
      this.#db.prepare('INSERT INTO worldcat_merges (old, current, at) VALUES (?, ?, ?)').run(from, to, at);
      logChange(this.#db, {
        at,
        kind: 'merged',
        symbol: null,
        ocn: to,
        lsn: null,
        collectionId: null,
        fromOcn: from,
      });
      return { from, to, holders };
    })();
  }

  /** Stores the master records of `worldcat.records` files (the first record of a number wins). */
  seed(ocn: string, record: MarcRecord): void {
    const master = withControlNumbers(record, ocn, record.values('019', 'a'));
    this.#db
      .prepare('INSERT OR IGNORE INTO worldcat_records (ocn, marc, updated_at) VALUES (?, ?, NULL)')
      .run(ocn, writeIso2709(master.leader, master.fields));
  }

  #put(ocn: string, record: MarcRecord, at: number): void {
    this.#db
      .prepare('INSERT OR REPLACE INTO worldcat_records (ocn, marc, updated_at) VALUES (?, ?, ?)')
      .run(ocn, writeIso2709(record.leader, record.fields), at);
  }

  #moveHoldings(from: string, to: string): string[] {
    const db = this.#db;
    const holders = (
      db
        .prepare('SELECT DISTINCT symbol FROM holdings WHERE ocn IN (?, ?) ORDER BY symbol')
        .all(from, to) as {
        symbol: string;
      }[]
    ).map((r) => r.symbol);
    db.prepare(
      'INSERT OR IGNORE INTO holdings (symbol, ocn, file_id) SELECT symbol, ?, file_id FROM holdings WHERE ocn = ?',
    ).run(to, from);
    db.prepare('DELETE FROM holdings WHERE ocn = ?').run(from);
    db.prepare('UPDATE lhrs SET ocn = ? WHERE ocn = ?').run(to, from);
    db.prepare('UPDATE lbd SET ocn = ? WHERE ocn = ?').run(to, from);
    db.prepare('UPDATE worldcat_keys SET ocn = ? WHERE ocn = ?').run(to, from);
    return holders;
  }

  #checkMerge(from: string, to: string): void {
    const refuse = (reason: string): never => {
      throw new DataSyncError('WORLDCAT_REFUSED', { action: `merge ${from} into ${to}`, reason });
    };
    if (from === to) refuse('a record cannot be merged into itself');
    const fromNow = this.current(from);
    if (fromNow === undefined) refuse(`${from} is deleted in WorldCat`);
    if (fromNow !== from) refuse(`${from} was already merged into ${fromNow ?? ''}`);
    const toNow = this.current(to);
    if (toNow === undefined) refuse(`${to} is deleted in WorldCat`);
    if (toNow !== to) refuse(`${to} was merged into ${toNow ?? ''}; merge into ${toNow ?? ''}`);
  }

  #number(text: string): string {
    const ocn = normalizeOcn(text);
    if (ocn === undefined)
      throw new DataSyncError('REQUEST_INVALID', {
        request: 'the WorldCat record',
        problems: `"${text}" is not an OCLC number (digits, optionally with ocm/ocn/on or (OCoLC))`,
      });
    return ocn;
  }
}

function readStored(marc: Buffer): MarcRecord {
  const parsed = parseIso2709Record(marc);
  if (!parsed.ok) throw new Error(`a stored WorldCat record is unreadable: ${parsed.detail}`);
  return parsed.record;
}
