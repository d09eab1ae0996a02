import type Database from 'better-sqlite3';
import { openScratch } from './open-scratch.ts';

type Db = Database.Database;

/**
 * A scratch database per file: the worker records every change here while it reads, so the main
 * database is written only in one short transaction at the end and SFTP sessions never wait on
 * a long write lock. A crash leaves only scratch to throw away.
 */
export function openStaging(path: string): Db {
  // OCNs are stored as integers where the text is a canonical number (see ocnKey): smaller rows and
  // cheaper comparisons than text keys. Holdings are append-only, the last operation per OCN wins
  // (resolveStagedHoldings): nothing reads them before the commit, so a keyed insert per record
  // bought nothing. A NULL OCN in s_lbd removes the LSN's mapping. A NULL symbol in the holdings log
  // is the file's institution; a key list row's Library Code names another (D58).
  return openScratch(
    path,
    `
    CREATE TABLE s_outcomes (seq INTEGER PRIMARY KEY, offset INTEGER, locator TEXT, lsn TEXT,
      incoming_ocn TEXT, worldcat_ocn TEXT, action TEXT, errors TEXT);
    CREATE TABLE s_holdings_log (ocn INTEGER NOT NULL, cancel INTEGER NOT NULL, lsn TEXT, symbol TEXT);
    CREATE TABLE s_records (ocn TEXT PRIMARY KEY, marc BLOB NOT NULL, replace INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE s_lbd (lsn TEXT PRIMARY KEY, ocn INTEGER) WITHOUT ROWID;
    CREATE TABLE s_keys (key TEXT PRIMARY KEY, ocn INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE s_created (ocn INTEGER PRIMARY KEY, lsn TEXT);
  `,
  );
}

/**
 * Once the file is read: each (symbol, OCN)'s last holdings operation into `s_holdings` (set or
 * cancel, with the LSN it came with when the change log wants it), for the commit. Runs on the
 * scratch database, so the main database's write lock is not held for it.
 */
export function resolveStagedHoldings(staging: Db): void {
  // SQLite takes a bare column's value from the row that max() picked: the last operation.
  staging.exec(`
    CREATE TABLE s_holdings AS
      SELECT symbol, CAST(ocn AS TEXT) AS ocn, cancel, lsn, seq
      FROM (SELECT symbol, ocn, cancel, lsn, max(rowid) AS seq FROM s_holdings_log GROUP BY symbol, ocn);
  `);
}

/**
 * An OCN as stored in scratch: the number when the text is one written canonically (every OCN the
 * simulator makes is), else its bytes, which no column affinity converts (an OCN configured with
 * leading zeros stays as written); `CAST(ocn AS TEXT)` gives the text back in both cases.
 */
export function ocnKey(ocn: string): number | Buffer {
  const length = ocn.length;
  // Up to 15 digits is always a safe integer; a leading zero is not canonical (but "0" is).
  if (length === 0 || length > 15 || (length > 1 && ocn.charCodeAt(0) === 0x30)) return Buffer.from(ocn);
  let n = 0;
  for (let i = 0; i < length; i++) {
    const digit = ocn.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return Buffer.from(ocn);
    n = n * 10 + digit;
  }
  return n;
}
