import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';

/**
 * A fresh scratch database for one file, with `schema`. No journal and no syncs: a crash throws the
 * scratch away anyway (the file goes back to the queue), so durability would only cost time.
 */
export function openScratch(path: string, schema: string): Database.Database {
  rmSync(path, { force: true });
  const db = new Database(path);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(schema);
  return db;
}
