import pg from 'pg';
import { DataSyncError, describeFailure } from '../../oclc/error-catalogue.ts';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.ts';

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;

/** Advisory lock keys: one namespace per purpose, so no two ever wait on each other by accident. */
export const LOCKS = { migrate: 0x64730001, worldcat: 0x64730002 } as const;

/** BIGINT columns hold milliseconds and row ids, all well inside a double: read them as numbers. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * Connects to the PostgreSQL store and brings its schema up to date. Every replica runs this at
 * start; the migration lock makes the first one migrate and the others wait, then find it done.
 */
export async function openPostgres(url: string): Promise<PgPool> {
  const pool = new pg.Pool({ connectionString: url, types, max: 4, connectionTimeoutMillis: 10_000 });
  // An idle connection the server dropped must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      await migrate(client);
    } finally {
      client.release();
    }
    return pool;
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DataSyncError(
      'STORE_UNREACHABLE',
      { target: describeTarget(url), reason: describeFailure(error) },
      { cause: error },
    );
  }
}

async function migrate(client: PgClient): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCKS.migrate]);
    await client.query('CREATE TABLE IF NOT EXISTS datasync_schema (version INTEGER NOT NULL)');
    const { rows } = await client.query<{ version: number }>(
      'SELECT max(version) AS version FROM datasync_schema',
    );
    const current = rows[0]?.version ?? 0;
    for (let version = current; version < POSTGRES_MIGRATIONS.length; version++) {
      await client.query(POSTGRES_MIGRATIONS[version] ?? '');
      await client.query('INSERT INTO datasync_schema (version) VALUES ($1)', [version + 1]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** host:port/database, never the password (the message may reach a log or a client). */
export function describeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(store.url is not a valid URL)';
  }
}
