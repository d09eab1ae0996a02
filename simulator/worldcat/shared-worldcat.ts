import type { Db } from '../storage/open-database.ts';
import { LOCKS, type PgClient, type PgPool } from '../storage/open-postgres.ts';
import { allColumns, SHARED_TABLES, typeOf, type SharedTable } from './shared-tables.ts';

type Row = Record<string, unknown>;

/** Rows sent to PostgreSQL per statement: bounds a statement's size on a large file's commit. */
const CHUNK = 5000;

/**
 * WorldCat kept in PostgreSQL for replicas that share it (D105). Processing and the WorldCat
 * views still run on the data dir's SQLite, which becomes this replica's working copy: every write
 * runs under one cluster-wide advisory lock, after the working copy has caught up with PostgreSQL,
 * and the rows it touched (captured by triggers, whichever connection wrote them) go to PostgreSQL
 * in one transaction before the lock is released. PostgreSQL is the state; SQLite is never trusted
 * across a failure (the next write copies PostgreSQL again).
 */
export class SharedWorldCat {
  readonly #pool: PgPool;
  readonly #db: Db;
  /** The store revision the working copy holds; -1: unknown, copy everything on the next write. */
  #revision = -1;
  /** Writes of this process, one at a time (the advisory lock orders them against other replicas). */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(pool: PgPool, db: Db) {
    this.#pool = pool;
    this.#db = db;
    installCapture(db);
  }

  /**
   * Runs `write` (which changes WorldCat in the working copy) as one shared, exclusive change.
   * `finish` runs inside the transaction that sends the change to PostgreSQL, so what it writes
   * there (a processed file's queue entry, D151) commits with WorldCat's rows or not at all.
   */
  write<T>(write: () => T | Promise<T>, finish?: (client: PgClient) => Promise<void>): Promise<T> {
    const run = this.#queue.then(() => this.#exclusive(write, finish));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Brings the working copy up to PostgreSQL's state (before reads that must see other replicas). */
  refresh(): Promise<void> {
    return this.write(() => undefined);
  }

  async #exclusive<T>(
    write: () => T | Promise<T>,
    finish: ((client: PgClient) => Promise<void>) | undefined,
  ): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [LOCKS.worldcat]);
      try {
        await this.#pull(client);
        const result = await write();
        await this.#push(client, finish);
        return result;
      } catch (error) {
        // The working copy may hold what PostgreSQL refused or never got: copy it all again.
        this.#revision = -1;
        this.#db.prepare('DELETE FROM shared_changed').run();
        throw error;
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [LOCKS.worldcat]);
      }
    } finally {
      client.release();
    }
  }

  async #pull(client: PgClient): Promise<void> {
    const revision = await storeRevision(client);
    if (revision === this.#revision) return;
    const tables: [SharedTable, Row[]][] = [];
    for (const table of SHARED_TABLES) {
      const columns = allColumns(table).map(quote).join(', ');
      tables.push([table, (await client.query<Row>(`SELECT ${columns} FROM ${table.name}`)).rows]);
    }
    this.#db.transaction(() => {
      for (const [table, rows] of tables) {
        this.#db.prepare(`DELETE FROM ${table.name}`).run();
        const columns = allColumns(table);
        const insert = this.#db.prepare(
          `INSERT INTO ${table.name} (${columns.map(quote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        );
        for (const row of rows) insert.run(...columns.map((c) => row[c] ?? null));
      }
      this.#db.prepare('DELETE FROM shared_changed').run();
    })();
    this.#revision = revision;
  }

  async #push(client: PgClient, finish: ((client: PgClient) => Promise<void>) | undefined): Promise<void> {
    const changed = this.#db.prepare('SELECT tbl, k FROM shared_changed').all() as {
      tbl: string;
      k: string;
    }[];
    if (changed.length === 0 && !finish) return;
    await client.query('BEGIN');
    try {
      for (const table of SHARED_TABLES) {
        const keys = changed.filter((c) => c.tbl === table.name).map((c) => JSON.parse(c.k) as unknown[]);
        if (keys.length > 0) await this.#pushTable(client, table, keys);
      }
      await finish?.(client);
      // Unchanged WorldCat keeps its revision, so the other replicas need not copy it again.
      const { rows } =
        changed.length > 0
          ? await client.query<{ value: number }>(
              'UPDATE store_revision SET value = value + 1 WHERE id = 1 RETURNING value',
            )
          : { rows: [{ value: this.#revision }] };
      await client.query('COMMIT');
      this.#revision = rows[0]?.value ?? -1;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    this.#db.prepare('DELETE FROM shared_changed').run();
  }

  /** Sends each changed key's row as the working copy has it now: present → upsert, gone → delete. */
  async #pushTable(client: PgClient, table: SharedTable, keys: unknown[][]): Promise<void> {
    const columns = allColumns(table);
    const where = table.key.map((k) => `${quote(k)} = ?`).join(' AND ');
    const find = this.#db.prepare(
      `SELECT ${columns.map(quote).join(', ')} FROM ${table.name} WHERE ${where}`,
    );
    const present: Row[] = [];
    const gone: unknown[][] = [];
    for (const key of keys) {
      const row = find.get(...key) as Row | undefined;
      if (row) present.push(row);
      else gone.push(key);
    }
    for (let at = 0; at < gone.length; at += CHUNK) {
      const part = gone.slice(at, at + CHUNK);
      const arrays = table.key.map((k, i) => part.map((key) => toPg(table, k, key[i])));
      await client.query(
        `DELETE FROM ${table.name} WHERE (${table.key.map(quote).join(', ')}) IN
           (SELECT * FROM unnest(${table.key.map((k, i) => `$${i + 1}::${typeOf(table, k)}[]`).join(', ')}))`,
        arrays,
      );
    }
    const updates = table.columns.map((c) => `${quote(c)} = EXCLUDED.${quote(c)}`).join(', ');
    for (let at = 0; at < present.length; at += CHUNK) {
      const part = present.slice(at, at + CHUNK);
      const arrays = columns.map((c) => part.map((row) => toPg(table, c, row[c])));
      await client.query(
        `INSERT INTO ${table.name} (${columns.map(quote).join(', ')})
         SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${typeOf(table, c)}[]`).join(', ')})
         ON CONFLICT (${table.key.map(quote).join(', ')}) DO UPDATE SET ${updates}`,
        arrays,
      );
    }
  }
}

async function storeRevision(client: PgClient): Promise<number> {
  const { rows } = await client.query<{ value: number }>('SELECT value FROM store_revision WHERE id = 1');
  return rows[0]?.value ?? 0;
}

/** SQLite keeps whatever it was given in a TEXT column; PostgreSQL wants the declared type. */
function toPg(table: SharedTable, column: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const type = typeOf(table, column);
  if (type === 'bigint') return Number(value);
  if (type === 'bytea') return value;
  return typeof value === 'string' ? value : String(value);
}

function quote(column: string): string {
  return `"${column}"`;
}

/**
 * Triggers that note the key of every row written to a shared table, by any connection (the
 * processing workers write on their own). Only a PostgreSQL-backed data dir has them; opening one
 * with the SQLite store removes them (dropCapture).
 */
function installCapture(db: Db): void {
  const statements = [
    'CREATE TABLE IF NOT EXISTS shared_changed (tbl TEXT NOT NULL, k TEXT NOT NULL, PRIMARY KEY (tbl, k)) WITHOUT ROWID',
  ];
  for (const table of SHARED_TABLES) {
    const key = (row: 'NEW' | 'OLD'): string =>
      `INSERT OR IGNORE INTO shared_changed (tbl, k) VALUES ('${table.name}', json_array(${table.key.map((k) => `${row}.${quote(k)}`).join(', ')}));`;
    statements.push(
      `CREATE TRIGGER IF NOT EXISTS shared_${table.name}_insert AFTER INSERT ON ${table.name} BEGIN ${key('NEW')} END`,
      `CREATE TRIGGER IF NOT EXISTS shared_${table.name}_update AFTER UPDATE ON ${table.name} BEGIN ${key('OLD')} ${key('NEW')} END`,
      `CREATE TRIGGER IF NOT EXISTS shared_${table.name}_delete AFTER DELETE ON ${table.name} BEGIN ${key('OLD')} END`,
    );
  }
  db.transaction(() => {
    for (const sql of statements) db.exec(sql);
  })();
}

/** A data dir used with PostgreSQL before and now with the SQLite store: its triggers must go. */
export function dropCapture(db: Db): void {
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'shared_changed'").get()) return;
  db.transaction(() => {
    for (const table of SHARED_TABLES)
      for (const op of ['insert', 'update', 'delete'])
        db.exec(`DROP TRIGGER IF EXISTS shared_${table.name}_${op}`);
    db.exec('DROP TABLE IF EXISTS shared_changed');
  })();
}
