import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

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
];

/** Opens (creating if needed) the simulator's SQLite state in the data dir, in WAL mode. */
export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'state.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = Number(db.pragma('user_version', { simple: true }));
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] ?? '');
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
