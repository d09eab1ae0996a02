import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { normalizeOcn } from '../oclc/datasync/ocn.ts';
import type { MarcRecord } from '../oclc/marc/marc-record.ts';
import type { InputRecord } from './read-input-records.ts';
import { SpoolFile } from './spool-file.ts';

const BATCH = 8192;

/**
 * Groups LHRs by OCN without holding them in memory: each record's bytes go to a spool file and
 * its (group, position) to a throwaway SQLite database beside it, which sorts them on disk. Groups
 * come back in order of first appearance, each group's records in input order, as the in-memory
 * grouping did. Memory stays at SQLite's page cache plus the largest group.
 */
export class LhrGroups {
  readonly #db: Database.Database;
  readonly #spool: SpoolFile;
  readonly #findGroup: Database.Statement<[string], { gid: number }>;
  readonly #addGroup: Database.Statement<[string, number]>;
  readonly #addRecord: Database.Statement<[number, number, number]>;
  readonly #addFile: Database.Statement<[number, string]>;
  #groups = 0;
  #pending = 0;
  #finished = false;

  static async open(dir: string): Promise<LhrGroups> {
    const { default: Sqlite } = await import('better-sqlite3');
    return new LhrGroups(new Sqlite(join(dir, 'lhr-groups.db')), new SpoolFile(join(dir, 'lhr-records')));
  }

  private constructor(db: Database.Database, spool: SpoolFile) {
    this.#db = db;
    this.#spool = spool;
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(`
      CREATE TABLE groups (ocn TEXT PRIMARY KEY, gid INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE records (gid INTEGER NOT NULL, offset INTEGER NOT NULL, length INTEGER NOT NULL);
      CREATE TABLE files (gid INTEGER NOT NULL, file TEXT NOT NULL, UNIQUE (gid, file));`);
    this.#findGroup = db.prepare('SELECT gid FROM groups WHERE ocn = ?');
    this.#addGroup = db.prepare('INSERT INTO groups (ocn, gid) VALUES (?, ?)');
    this.#addRecord = db.prepare('INSERT INTO records (gid, offset, length) VALUES (?, ?, ?)');
    this.#addFile = db.prepare('INSERT OR IGNORE INTO files (gid, file) VALUES (?, ?)');
    db.exec('BEGIN');
  }

  add(input: InputRecord): void {
    const ocn = lhrOcn(input.record);
    let gid: number;
    if (ocn === undefined) gid = this.#groups++;
    else {
      const found = this.#findGroup.get(ocn);
      gid = found?.gid ?? this.#groups++;
      if (!found) this.#addGroup.run(ocn, gid);
      this.#addFile.run(gid, input.file);
    }
    this.#addRecord.run(gid, this.#spool.size, input.bytes.length);
    this.#spool.write(input.bytes);
    if (++this.#pending === BATCH) {
      this.#db.exec('COMMIT; BEGIN');
      this.#pending = 0;
    }
  }

  /** OCNs whose records came from more than one input file, with those files (first seen first). */
  spread(): { ocn: string; files: string[] }[] {
    this.#finish();
    const rows = this.#db
      .prepare<[], { ocn: string; files: string }>(
        `SELECT g.ocn, (SELECT group_concat(file, char(10)) FROM (SELECT file FROM files f
             WHERE f.gid = g.gid ORDER BY f.rowid)) AS files
         FROM groups g WHERE (SELECT count(*) FROM files f WHERE f.gid = g.gid) > 1 ORDER BY g.gid`,
      )
      .all();
    return rows.map((row) => ({ ocn: row.ocn, files: row.files.split('\n') }));
  }

  /** Each group's records' bytes, groups in order of first appearance. */
  *groups(): Generator<Buffer[]> {
    this.#finish();
    const fd = openSync(this.#spool.path, 'r');
    try {
      let gid = -1;
      let group: Buffer[] = [];
      const rows = this.#db
        .prepare<[], { gid: number; offset: number; length: number }>(
          'SELECT gid, offset, length FROM records ORDER BY gid, rowid',
        )
        .iterate();
      for (const row of rows) {
        if (row.gid !== gid && group.length > 0) {
          yield group;
          group = [];
        }
        gid = row.gid;
        const bytes = Buffer.allocUnsafe(row.length);
        readSync(fd, bytes, 0, row.length, row.offset);
        group.push(bytes);
      }
      if (group.length > 0) yield group;
    } finally {
      closeSync(fd);
    }
  }

  /** Closes the database (the caller removes the folder). */
  close(): void {
    if (!this.#finished) this.#spool.close();
    this.#finished = true;
    this.#db.close();
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#db.exec('COMMIT; CREATE INDEX records_by_group ON records (gid)');
    this.#spool.close();
  }
}

/** An LHR's OCN: 004, else 014 $a, else 035 $a (OCoLC). */
function lhrOcn(record: MarcRecord): string | undefined {
  const raw =
    record.control('004') ??
    record.first('014', 'a') ??
    record.values('035', 'a').find((v) => v.startsWith('(OCoLC)'));
  return raw === undefined ? undefined : normalizeOcn(raw);
}
