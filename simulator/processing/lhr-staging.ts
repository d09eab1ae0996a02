import type Database from 'better-sqlite3';
import { openScratch } from './open-scratch.ts';
import type { LhrEntry } from '../../oclc/datasync/decide-lhr-record.ts';

type Db = Database.Database;

/** An accepted LHR as staged: its place in the file and its report locator. */
export interface StagedLhr extends LhrEntry {
  seq: number;
  locator: string;
}

/**
 * The scratch database of one LHR file. Replace-all needs every copy of an OCN before it can decide,
 * so accepted records wait here (not in the worker's heap, which would cap the file size), then are
 * read back one group of OCNs at a time; the plan the groups produce waits here too until the
 * one-transaction commit.
 */
export function openLhrStaging(path: string): Db {
  return openScratch(
    path,
    `
    CREATE TABLE s_lhr (seq INTEGER PRIMARY KEY, symbol TEXT NOT NULL, ocn TEXT NOT NULL, lsn TEXT NOT NULL,
      op TEXT NOT NULL, holding_library TEXT, location TEXT, call_number TEXT, barcodes TEXT, locator TEXT);
    CREATE TABLE s_delete_group (symbol TEXT NOT NULL, ocn TEXT NOT NULL);
    CREATE TABLE s_delete_lsn (symbol TEXT NOT NULL, lsn TEXT NOT NULL);
    CREATE TABLE s_insert (seq INTEGER PRIMARY KEY);
    CREATE TABLE s_holding (symbol TEXT NOT NULL, ocn TEXT NOT NULL);
  `,
  );
}

/** Numbers the (symbol, OCN) groups in order of first appearance, once every record is staged. */
export function numberLhrGroups(staging: Db): number {
  staging.exec(`
    CREATE INDEX s_lhr_group ON s_lhr(symbol, ocn, seq);
    CREATE TABLE s_group (g INTEGER PRIMARY KEY, symbol TEXT NOT NULL, ocn TEXT NOT NULL);
    INSERT INTO s_group (symbol, ocn) SELECT symbol, ocn FROM s_lhr GROUP BY symbol, ocn ORDER BY MIN(seq);
  `);
  return (staging.prepare('SELECT COUNT(*) AS n FROM s_group').get() as { n: number }).n;
}

interface LhrRow {
  g: number;
  seq: number;
  symbol: string;
  ocn: string;
  lsn: string;
  op: 'set' | 'delete';
  holding_library: string;
  location: string;
  call_number: string;
  barcodes: string;
  locator: string;
}

/** The staged records group by group, in order of first appearance; `batch` groups are read at a time. */
export function* readLhrGroups(staging: Db, batch: number): Generator<StagedLhr[]> {
  const total = (staging.prepare('SELECT COUNT(*) AS n FROM s_group').get() as { n: number }).n;
  const slice = staging.prepare(
    `SELECT g.g, l.* FROM s_group g JOIN s_lhr l ON l.symbol = g.symbol AND l.ocn = g.ocn
     WHERE g.g BETWEEN ? AND ? ORDER BY g.g, l.seq`,
  );
  for (let from = 1; from <= total; from += batch) {
    let group: StagedLhr[] = [];
    let current = -1;
    for (const r of slice.all(from, from + batch - 1) as LhrRow[]) {
      if (r.g !== current && group.length > 0) {
        yield group;
        group = [];
      }
      current = r.g;
      group.push({
        seq: r.seq,
        symbol: r.symbol,
        ocn: r.ocn,
        lsn: r.lsn,
        op: r.op,
        holdingLibrary: r.holding_library,
        location: r.location,
        callNumber: r.call_number,
        barcodes: JSON.parse(r.barcodes) as string[],
        isDelete: r.op === 'delete',
        locator: r.locator,
      });
    }
    if (group.length > 0) yield group;
  }
}
