import type { Db } from './open-database.ts';
import type { PgClient, PgPool } from './open-postgres.ts';
import { fromRow, type UploadFilter, type UploadRecord, type UploadRow } from './upload-store.ts';

const COLUMNS = [
  'id',
  'account',
  'sender_symbol',
  'target_symbol',
  'folder',
  'name',
  'temp_name',
  'kind',
  'collection_id',
  'routed_to_default',
  'state',
  'size',
  'sha256',
  'started_at',
  'received_at',
  'queued_at',
  'violations',
  'reason',
  'stored_path',
  'processed_at',
  'summary',
] as const;

/** Ids asked for at once; a new batch is fetched when half is used, long before it runs out. */
const ID_BATCH = 256;

/**
 * A replica's uploads, shown to every replica through PostgreSQL (D106). Each replica owns the
 * uploads it received: it keeps them in its working copy as before, and every change to them
 * (noted by a trigger, whoever wrote it) is sent on soon after; the admin API reads the union
 * from PostgreSQL. Ids come from one PostgreSQL sequence, so they are unique across replicas.
 */
export class UploadMirror {
  readonly #pool: PgPool;
  readonly #db: Db;
  readonly #replica: string;
  readonly #ids: number[] = [];
  #fetchingIds = false;
  #flushing: Promise<void> = Promise.resolve();
  #again = false;
  #running = false;

  constructor(pool: PgPool, db: Db, replica: string) {
    this.#pool = pool;
    this.#db = db;
    this.#replica = replica;
    db.exec(`CREATE TABLE IF NOT EXISTS uploads_changed (id INTEGER PRIMARY KEY);
      CREATE TRIGGER IF NOT EXISTS uploads_changed_insert AFTER INSERT ON uploads
        BEGIN INSERT OR IGNORE INTO uploads_changed (id) VALUES (NEW.id); END;
      CREATE TRIGGER IF NOT EXISTS uploads_changed_update AFTER UPDATE ON uploads
        BEGIN INSERT OR IGNORE INTO uploads_changed (id) VALUES (NEW.id); END;
      CREATE TRIGGER IF NOT EXISTS uploads_changed_delete AFTER DELETE ON uploads
        BEGIN INSERT OR IGNORE INTO uploads_changed (id) VALUES (OLD.id); END;`);
  }

  /** Fetches the first ids; call before the first upload. */
  async start(): Promise<void> {
    await this.#fetchIds();
    await this.flush();
  }

  /** The next upload id (synchronous: intake numbers an upload as it opens). */
  nextId(): number {
    if (this.#ids.length < ID_BATCH / 2 && !this.#fetchingIds) {
      this.#fetchingIds = true;
      this.#fetchIds().catch(() => undefined);
    }
    const id = this.#ids.shift();
    if (id === undefined) throw new Error('no upload id is available: the PostgreSQL store is not answering');
    return id;
  }

  /** Sends the changes made so far; resolves once they are in PostgreSQL (or failed, to retry later). */
  flush(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#flushing;
    }
    this.#running = true;
    this.#flushing = (async () => {
      do {
        this.#again = false;
        await this.#send().catch(() => undefined);
      } while (this.#again);
      this.#running = false;
    })();
    return this.#flushing;
  }

  async list(filter: UploadFilter = {}): Promise<UploadRecord[]> {
    const where: string[] = [];
    const values: string[] = [];
    const add = (sql: string, value: string): void => {
      values.push(value);
      where.push(sql.replaceAll('?', `$${values.length}`));
    };
    if (filter.state) add('state = ?', filter.state);
    if (filter.account) add('account = ?', filter.account);
    if (filter.symbol) add('(sender_symbol = ? OR target_symbol = ?)', filter.symbol);
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const { rows } = await this.#pool.query<UploadRow>(`SELECT * FROM uploads ${clause} ORDER BY id`, values);
    return rows.map(fromRow);
  }

  async find(id: number): Promise<UploadRecord | undefined> {
    const { rows } = await this.#pool.query<UploadRow>('SELECT * FROM uploads WHERE id = $1', [id]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async #fetchIds(): Promise<void> {
    try {
      const { rows } = await this.#pool.query<{ id: number }>(
        `SELECT nextval('upload_ids') AS id FROM generate_series(1, ${ID_BATCH})`,
      );
      this.#ids.push(...rows.map((r) => r.id));
    } finally {
      this.#fetchingIds = false;
    }
  }

  /** Takes the noted ids first, so a change made while sending is noted again and sent next time. */
  async #send(): Promise<void> {
    const ids = this.#db.transaction(() => {
      const noted = (this.#db.prepare('SELECT id FROM uploads_changed').all() as { id: number }[]).map(
        (r) => r.id,
      );
      this.#db.prepare('DELETE FROM uploads_changed').run();
      return noted;
    })();
    if (ids.length === 0) return;
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      await this.upsert(client, ids);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      const note = this.#db.prepare('INSERT OR IGNORE INTO uploads_changed (id) VALUES (?)');
      for (const id of ids) note.run(id);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Writes these uploads as the working copy has them now, inside the caller's transaction. Only
   * rows this replica owns are changed: another replica that took a file over (D151) owns it
   * from then on, and this replica's stale copy must not overwrite it.
   */
  async upsert(client: PgClient, ids: readonly number[]): Promise<void> {
    const find = this.#db.prepare(`SELECT ${COLUMNS.join(', ')} FROM uploads WHERE id = ?`);
    for (const id of ids) {
      const row = find.get(id) as Record<string, unknown> | undefined;
      if (!row) {
        await client.query('DELETE FROM uploads WHERE id = $1 AND replica = $2', [id, this.#replica]);
        continue;
      }
      const columns = ['replica', ...COLUMNS];
      const values = [this.#replica, ...COLUMNS.map((c) => row[c] ?? null)];
      await client.query(
        `INSERT INTO uploads (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
         ON CONFLICT (id) DO UPDATE SET ${columns.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
         WHERE uploads.replica = EXCLUDED.replica`,
        values,
      );
    }
  }
}

/** A working copy used with PostgreSQL before and now with the SQLite store: its triggers must go. */
export function dropUploadCapture(db: Db): void {
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'uploads_changed'").get()) return;
  db.exec(`DROP TRIGGER IF EXISTS uploads_changed_insert; DROP TRIGGER IF EXISTS uploads_changed_update;
    DROP TRIGGER IF EXISTS uploads_changed_delete; DROP TABLE IF EXISTS uploads_changed;`);
}
