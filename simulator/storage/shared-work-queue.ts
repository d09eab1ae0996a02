import type { Db } from './open-database.ts';
import type { PgClient, PgPool } from './open-postgres.ts';
import type { UploadMirror } from './upload-mirror.ts';
import { fromRow, type UploadRecord, type UploadRow } from './upload-store.ts';

/** Thrown when a replica commits a file whose claim another replica has taken over meanwhile. */
export class ClaimLostError extends Error {
  constructor(id: number) {
    super(`upload ${id} was taken over by another replica (this replica's claim on it expired)`);
    this.name = 'ClaimLostError';
  }
}

const UPLOAD_COLUMNS =
  'id, account, sender_symbol, target_symbol, folder, name, temp_name, kind, collection_id, ' +
  'routed_to_default, state, size, sha256, started_at, received_at, queued_at, violations, reason, ' +
  'stored_path, processed_at, summary';

/**
 * The replicas' one processing queue in PostgreSQL (D151). A file due for processing is offered
 * (a row in work_queue); any replica claims the oldest one whose institution has nothing earlier
 * queued, with FOR UPDATE SKIP LOCKED, and holds it under a lease it renews while it works. The
 * upload moves to the claimer (uploads.replica), which copies its row into its working copy. The
 * entry is removed in the same PostgreSQL transaction that commits the file's WorldCat changes,
 * and only while the claim is still held, so a file is applied exactly once; a replica that dies
 * stops renewing, and once its lease has run out another replica claims the file and starts over.
 */
export class SharedWorkQueue {
  readonly #pool: PgPool;
  readonly #db: Db;
  readonly #mirror: UploadMirror;
  readonly #replica: string;
  readonly #leaseMs: number;

  constructor(deps: { pool: PgPool; db: Db; mirror: UploadMirror; replica: string; leaseMs: number }) {
    this.#pool = deps.pool;
    this.#db = deps.db;
    this.#mirror = deps.mirror;
    this.#replica = deps.replica;
    this.#leaseMs = deps.leaseMs;
  }

  /** How often to renew claims and look for work: three renewals fit in a lease. */
  get heartbeatMs(): number {
    return Math.max(200, Math.floor(this.#leaseMs / 3));
  }

  /**
   * At start: claims a previous run of this replica held are given up (that process is gone: the
   * data-dir lock allows one per name), and uploads another replica took over leave the working copy.
   */
  async start(): Promise<void> {
    await this.#pool.query(
      'UPDATE work_queue SET claimed_by = NULL, lease_until = NULL WHERE claimed_by = $1',
      [this.#replica],
    );
    await this.forgetMoved();
  }

  /** Offers this replica's queued uploads for processing (after sending their rows). */
  async offer(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#transaction(async (client) => {
      await this.#mirror.upsert(client, ids);
      await client.query(
        `INSERT INTO work_queue (upload_id, target_symbol, offered_by)
         SELECT id, target_symbol, replica FROM uploads
         WHERE id = ANY($1::bigint[]) AND replica = $2 AND state = 'queued'
         ON CONFLICT (upload_id) DO NOTHING`,
        [ids, this.#replica],
      );
    });
  }

  /** Offers every replica's queued uploads (processing run now); their ids. */
  async offerAllQueued(): Promise<number[]> {
    const { rows } = await this.#pool.query<{ id: number }>(
      `WITH due AS (SELECT id, target_symbol, replica FROM uploads WHERE state = 'queued'),
         added AS (INSERT INTO work_queue (upload_id, target_symbol, offered_by)
           SELECT id, target_symbol, replica FROM due ON CONFLICT (upload_id) DO NOTHING)
       SELECT id FROM due ORDER BY id`,
    );
    return rows.map((r) => r.id);
  }

  /**
   * Claims the next file for this replica, or nothing. The upload becomes this replica's; a file
   * caught mid-processing by a replica that died starts over (state queued).
   */
  async claim(): Promise<UploadRecord | undefined> {
    const row = await this.#transaction(async (client) => {
      const claimed = await client.query<{ upload_id: number }>(
        `UPDATE work_queue q SET claimed_by = $1, lease_until = now() + make_interval(secs => $2),
           claims = q.claims + 1
         WHERE q.upload_id = (
           SELECT c.upload_id FROM work_queue c
           WHERE (c.claimed_by IS NULL OR c.lease_until < now())
             AND NOT EXISTS (SELECT 1 FROM work_queue e
                             WHERE e.target_symbol = c.target_symbol AND e.upload_id < c.upload_id)
           ORDER BY c.upload_id LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING q.upload_id`,
        [this.#replica, this.#leaseMs / 1000],
      );
      const id = claimed.rows[0]?.upload_id;
      if (id === undefined) return undefined;
      const { rows } = await client.query<UploadRow & { replica: string }>(
        `UPDATE uploads SET replica = $2,
           state = CASE WHEN state = 'processing' THEN 'queued' ELSE state END
         WHERE id = $1 RETURNING ${UPLOAD_COLUMNS}`,
        [id, this.#replica],
      );
      if (rows[0]) return rows[0];
      // The upload is gone (a reset): its entry goes too.
      await client.query('DELETE FROM work_queue WHERE upload_id = $1', [id]);
      return undefined;
    });
    if (!row) return undefined;
    this.#adopt(row);
    return fromRow(row);
  }

  /**
   * Inside the transaction that commits a processed file: sends its row and removes its entry,
   * which must still be this replica's claim (else the whole commit is refused).
   */
  async finish(client: PgClient, id: number): Promise<void> {
    await this.#mirror.upsert(client, [id]);
    const { rowCount } = await client.query(
      'DELETE FROM work_queue WHERE upload_id = $1 AND claimed_by = $2',
      [id, this.#replica],
    );
    if (rowCount !== 1) throw new ClaimLostError(id);
  }

  /**
   * After a file's other outcomes (failed, superseded, held back): `done` removes its entry with
   * its row sent; otherwise (this replica is stopping) the claim is given up for another to take.
   */
  async release(id: number, done: boolean): Promise<void> {
    await this.#transaction(async (client) => {
      if (!done) {
        await client.query(
          'UPDATE work_queue SET claimed_by = NULL, lease_until = NULL WHERE upload_id = $1 AND claimed_by = $2',
          [id, this.#replica],
        );
        return;
      }
      const { rows } = await client.query<{ upload_id: number }>(
        'DELETE FROM work_queue WHERE upload_id = $1 AND claimed_by = $2 RETURNING upload_id',
        [id, this.#replica],
      );
      if (rows.length > 0) await this.#mirror.upsert(client, [id]);
    });
  }

  /** Renews the leases of this replica's claims. */
  async heartbeat(): Promise<void> {
    await this.#pool.query(
      'UPDATE work_queue SET lease_until = now() + make_interval(secs => $2) WHERE claimed_by = $1',
      [this.#replica, this.#leaseMs / 1000],
    );
  }

  /** Gives up every claim of this replica (a clean stop), so another replica goes on at once. */
  async releaseAll(): Promise<void> {
    await this.#pool.query(
      'UPDATE work_queue SET claimed_by = NULL, lease_until = NULL WHERE claimed_by = $1',
      [this.#replica],
    );
  }

  /** How many of these files are still in the queue (offered or being processed anywhere). */
  async waiting(ids: readonly number[]): Promise<number> {
    const { rows } = await this.#pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM work_queue WHERE upload_id = ANY($1::bigint[])',
      [ids],
    );
    return rows[0]?.n ?? 0;
  }

  /** The uploads as PostgreSQL has them (whoever processed them). */
  async records(ids: readonly number[]): Promise<UploadRecord[]> {
    const { rows } = await this.#pool.query<UploadRow>(
      `SELECT ${UPLOAD_COLUMNS} FROM uploads WHERE id = ANY($1::bigint[]) ORDER BY id`,
      [ids],
    );
    return rows.map(fromRow);
  }

  /**
   * Drops from the working copy the unfinished uploads another replica has taken over, so this
   * replica neither offers them again nor counts them as its own. The mirror's delete leaves
   * PostgreSQL's row alone (it is no longer this replica's).
   */
  async forgetMoved(): Promise<void> {
    const local = (
      this.#db
        .prepare("SELECT id FROM uploads WHERE state IN ('received', 'queued', 'processing')")
        .all() as { id: number }[]
    ).map((r) => r.id);
    if (local.length === 0) return;
    const { rows } = await this.#pool.query<{ id: number }>(
      'SELECT id FROM uploads WHERE id = ANY($1::bigint[]) AND replica <> $2',
      [local, this.#replica],
    );
    const remove = this.#db.prepare('DELETE FROM uploads WHERE id = ?');
    for (const { id } of rows) remove.run(id);
  }

  /** The claimed upload's row into the working copy, as PostgreSQL has it. */
  #adopt(row: UploadRow): void {
    const columns = UPLOAD_COLUMNS.split(', ');
    this.#db
      .prepare(
        `INSERT INTO uploads (${UPLOAD_COLUMNS}) VALUES (${columns.map(() => '?').join(', ')})
         ON CONFLICT (id) DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}`,
      )
      .run(...columns.map((c) => (row as unknown as Record<string, unknown>)[c] ?? null));
  }

  async #transaction<T>(work: (client: PgClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
