import type Database from 'better-sqlite3';
import { openScratch } from './open-scratch.ts';

type Db = Database.Database;

/**
 * A scratch database per file: the worker records every change here while it reads, so the main
 * database is written only in one short transaction at the end and SFTP sessions never wait on
 * a long write lock. A crash leaves only scratch to throw away.
 */
export function openStaging(path: string): Db {
  return openScratch(
    path,
    `
    CREATE TABLE s_outcomes (seq INTEGER PRIMARY KEY, offset INTEGER, locator TEXT, lsn TEXT,
      incoming_ocn TEXT, worldcat_ocn TEXT, action TEXT, errors TEXT);
    CREATE TABLE s_holdings (ocn TEXT PRIMARY KEY, op TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE s_lbd (lsn TEXT PRIMARY KEY, ocn TEXT, op TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE s_keys (key TEXT PRIMARY KEY, ocn TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE s_created (ocn TEXT PRIMARY KEY, lsn TEXT) WITHOUT ROWID;
  `,
  );
}
