import type Database from 'better-sqlite3';
import type { NumberBlocks } from './number-blocks.ts';
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

/** Applies a file's staged changes to the main database in one transaction. */
export function applyStaging(
  main: Db,
  stagingPath: string,
  job: {
    fileId: number;
    symbol: string;
    counters: { ocn: NumberBlocks; provisional: NumberBlocks };
    finish: () => void;
  },
): void {
  main.prepare('ATTACH DATABASE ? AS s').run(stagingPath);
  try {
    main.transaction(() => {
      const { fileId, symbol } = job;
      main
        .prepare(
          `INSERT OR REPLACE INTO holdings (symbol, ocn, file_id) SELECT ?, ocn, ? FROM s.s_holdings WHERE op = 'set'`,
        )
        .run(symbol, fileId);
      main
        .prepare(
          `DELETE FROM holdings WHERE symbol = ? AND ocn IN (SELECT ocn FROM s.s_holdings WHERE op = 'cancel')`,
        )
        .run(symbol);
      main
        .prepare(
          `INSERT OR REPLACE INTO lbd (symbol, lsn, ocn) SELECT ?, lsn, ocn FROM s.s_lbd WHERE op = 'set'`,
        )
        .run(symbol);
      main
        .prepare(`DELETE FROM lbd WHERE symbol = ? AND lsn IN (SELECT lsn FROM s.s_lbd WHERE op = 'delete')`)
        .run(symbol);
      main.prepare('INSERT OR IGNORE INTO worldcat_keys (key, ocn) SELECT key, ocn FROM s.s_keys').run();
      main
        .prepare(
          'INSERT OR IGNORE INTO worldcat_created (ocn, symbol, lsn, file_id) SELECT ocn, ?, lsn, ? FROM s.s_created',
        )
        .run(symbol, fileId);
      main
        .prepare(
          `INSERT INTO record_outcomes (file_id, seq, offset, locator, lsn, incoming_ocn, worldcat_ocn, action, errors)
           SELECT ?, seq, offset, locator, lsn, incoming_ocn, worldcat_ocn, action, errors FROM s.s_outcomes`,
        )
        .run(fileId);
      job.counters.ocn.release();
      job.counters.provisional.release();
      job.finish();
    })();
  } finally {
    main.prepare('DETACH DATABASE s').run();
  }
}
