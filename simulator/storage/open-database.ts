import Database from 'better-sqlite3';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { onUserPath } from '../../oclc/file-system-error.ts';
import { DataSyncError, describeFailure } from '../../oclc/error-catalogue.ts';
import { storageLayout } from './storage-layout.ts';

export type Db = Database.Database;

/** Each entry moves the schema one version forward; never edit a shipped entry, append one. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE uploads (
     id INTEGER PRIMARY KEY,
     account TEXT NOT NULL,
     sender_symbol TEXT NOT NULL,
     target_symbol TEXT NOT NULL,
     folder TEXT NOT NULL,
     name TEXT NOT NULL,
     temp_name TEXT,
     kind TEXT NOT NULL,
     collection_id TEXT,
     routed_to_default INTEGER NOT NULL DEFAULT 0,
     state TEXT NOT NULL,
     size INTEGER,
     sha256 TEXT,
     started_at INTEGER NOT NULL,
     received_at INTEGER,
     queued_at INTEGER,
     violations TEXT,
     reason TEXT,
     stored_path TEXT
   );
   CREATE INDEX uploads_state ON uploads(state);
   CREATE TABLE journal (
     id INTEGER PRIMARY KEY,
     at INTEGER NOT NULL,
     type TEXT NOT NULL,
     account TEXT,
     subject TEXT,
     message TEXT,
     data TEXT
   );`,
  `ALTER TABLE uploads ADD COLUMN processed_at INTEGER;
   ALTER TABLE uploads ADD COLUMN summary TEXT;
   CREATE TABLE holdings (
     symbol TEXT NOT NULL,
     ocn TEXT NOT NULL,
     file_id INTEGER,
     PRIMARY KEY (symbol, ocn)
   ) WITHOUT ROWID;
   CREATE TABLE lbd (
     symbol TEXT NOT NULL,
     lsn TEXT NOT NULL,
     ocn TEXT NOT NULL,
     PRIMARY KEY (symbol, lsn)
   ) WITHOUT ROWID;
   CREATE TABLE worldcat_keys (key TEXT PRIMARY KEY, ocn TEXT NOT NULL) WITHOUT ROWID;
   CREATE TABLE worldcat_created (ocn TEXT PRIMARY KEY, symbol TEXT NOT NULL, lsn TEXT, file_id INTEGER) WITHOUT ROWID;
   CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
   CREATE TABLE record_outcomes (
     file_id INTEGER NOT NULL,
     seq INTEGER NOT NULL,
     offset INTEGER NOT NULL,
     locator TEXT NOT NULL,
     lsn TEXT NOT NULL,
     incoming_ocn TEXT NOT NULL,
     worldcat_ocn TEXT NOT NULL,
     action TEXT NOT NULL,
     errors TEXT,
     PRIMARY KEY (file_id, seq)
   ) WITHOUT ROWID;`,
  `CREATE TABLE lhrs (
     symbol TEXT NOT NULL,
     lsn TEXT NOT NULL,
     ocn TEXT NOT NULL,
     holding_library TEXT NOT NULL,
     location TEXT NOT NULL,
     call_number TEXT NOT NULL,
     barcodes TEXT NOT NULL,
     file_id INTEGER NOT NULL,
     PRIMARY KEY (symbol, lsn)
   ) WITHOUT ROWID;
   CREATE INDEX lhrs_by_ocn ON lhrs(symbol, ocn);`,
  `CREATE TABLE worldcat_records (ocn TEXT PRIMARY KEY, marc BLOB NOT NULL, updated_at INTEGER) WITHOUT ROWID;
   CREATE TABLE worldcat_merges (old TEXT PRIMARY KEY, current TEXT NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID;
   CREATE TABLE worldcat_changes (
     seq INTEGER PRIMARY KEY,
     at INTEGER NOT NULL,
     kind TEXT NOT NULL,
     symbol TEXT,
     ocn TEXT NOT NULL,
     lsn TEXT,
     collection_id TEXT,
     from_ocn TEXT
   );
   CREATE TABLE worldcat_watchers (symbol TEXT PRIMARY KEY) WITHOUT ROWID;
   CREATE TABLE output_deliveries (
     symbol TEXT NOT NULL,
     collection_id TEXT NOT NULL,
     last_seq INTEGER NOT NULL,
     last_at INTEGER NOT NULL,
     PRIMARY KEY (symbol, collection_id)
   ) WITHOUT ROWID;
   CREATE TABLE output_files (
     path TEXT PRIMARY KEY,
     symbol TEXT NOT NULL,
     collection_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     records INTEGER NOT NULL,
     delivered_at INTEGER NOT NULL,
     zipped_at INTEGER,
     removed_at INTEGER
   ) WITHOUT ROWID;`,
  `CREATE TABLE file_stages (
     seq INTEGER PRIMARY KEY,
     file_id INTEGER NOT NULL,
     state TEXT NOT NULL,
     event TEXT NOT NULL,
     at INTEGER NOT NULL,
     real_at INTEGER NOT NULL
   );
   CREATE INDEX file_stages_by_file ON file_stages(file_id, seq);
   CREATE TABLE worldcat_history (
     seq INTEGER PRIMARY KEY,
     at INTEGER NOT NULL,
     symbol TEXT NOT NULL,
     holdings INTEGER NOT NULL,
     lhrs INTEGER NOT NULL,
     file_id INTEGER
   );
   CREATE INDEX worldcat_history_by_symbol ON worldcat_history(symbol, seq);`,
  // LHRs and LBDs the Metadata API writes (D140): no file behind them (file_id NULL), and
  // the record as sent, so a read answers what was written.
  `CREATE TABLE lhrs_next (
     symbol TEXT NOT NULL,
     lsn TEXT NOT NULL,
     ocn TEXT NOT NULL,
     holding_library TEXT NOT NULL,
     location TEXT NOT NULL,
     call_number TEXT NOT NULL,
     barcodes TEXT NOT NULL,
     file_id INTEGER,
     marc BLOB,
     PRIMARY KEY (symbol, lsn)
   ) WITHOUT ROWID;
   INSERT INTO lhrs_next (symbol, lsn, ocn, holding_library, location, call_number, barcodes, file_id)
     SELECT symbol, lsn, ocn, holding_library, location, call_number, barcodes, file_id FROM lhrs;
   DROP TABLE lhrs;
   ALTER TABLE lhrs_next RENAME TO lhrs;
   CREATE INDEX lhrs_by_ocn ON lhrs(symbol, ocn);
   ALTER TABLE lbd ADD COLUMN marc BLOB;`,
];

export interface OpenDatabaseOptions {
  /**
   * `false` for a data dir deleted at stop (a test's temporary one): SQLite never waits for the
   * disk (`synchronous = OFF`), as nothing has to survive a crash. Default true.
   */
  durable?: boolean;
}

/** Opens (creating if needed) the simulator's SQLite state in the data dir, in WAL mode. */
export function openDatabase(dataDir: string, options: OpenDatabaseOptions = {}): Db {
  const durable = options.durable ?? true;
  onUserPath({ path: dataDir, use: 'write', what: 'data dir' }, () =>
    mkdirSync(dataDir, { recursive: true }),
  );
  const file = databasePath(dataDir);
  let db: Db | undefined;
  try {
    if (!existsSync(file)) writeNewDatabase(file, durable);
    db = new Database(file);
    // The processing worker commits each file in one short transaction; wait for it, never fail.
    db.pragma('busy_timeout = 60000');
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${durable ? 'NORMAL' : 'OFF'}`);
    db.pragma('foreign_keys = ON');
    migrate(db);
    // Reading every table's root page finds a file that is not a database, or is torn, before
    // anything relies on it (a full integrity check would take minutes on a large state).
    for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[])
      db.prepare(`SELECT 1 FROM "${name}" LIMIT 1`).get();
    return db;
  } catch (error) {
    db?.close();
    throw new DataSyncError('STATE_UNREADABLE', { file, reason: unreadableReason(error) }, { cause: error });
  }
}

let newDatabaseBytes: Buffer | undefined;

/**
 * Writes a new database, schema and WAL mode included, from an image built once per process in
 * memory. Creating it in place (WAL switch, migrations, a checkpoint) made SQLite wait for the disk
 * eight times, 25-50 ms on a busy disk, paid by every test's simulator (D155). One sync when durable.
 */
function writeNewDatabase(file: string, durable: boolean): void {
  if (!newDatabaseBytes) {
    const memory = new Database(':memory:');
    migrate(memory);
    const bytes = memory.serialize();
    memory.close();
    // The header's write and read format versions (bytes 18 and 19): 2 is WAL mode, which is how
    // `PRAGMA journal_mode = WAL` records it in the file.
    bytes[18] = 2;
    bytes[19] = 2;
    newDatabaseBytes = bytes;
  }
  // 'wx': never over a database that appeared meanwhile.
  const fd = openSync(file, 'wx');
  try {
    writeFileSync(fd, newDatabaseBytes);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function unreadableReason(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'SQLITE_NOTADB') return 'it is not a SQLite database';
  if (code === 'SQLITE_CORRUPT') return 'the database is corrupt';
  if (code === 'SQLITE_FULL') return 'the disk is full';
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM' || code === 'SQLITE_READONLY')
    return 'it cannot be opened for writing (check the permissions of the file and its folder)';
  return describeFailure(error);
}

export function databasePath(dataDir: string): string {
  return storageLayout.database(dataDir);
}

function migrate(db: Db): void {
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current >= MIGRATIONS.length) return;
  // One transaction for all of them: a new data dir (every test's) pays one commit, not one each.
  db.transaction(() => {
    for (let version = current; version < MIGRATIONS.length; version++) db.exec(MIGRATIONS[version] ?? '');
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
}
