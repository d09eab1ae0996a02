import type { OutputKind } from '../../oclc/datasync/output-settings.ts';
import type { Db } from './open-database.ts';

/** One delivered output file as the admin API lists it. */
export interface OutputFileRecord {
  /** Where the account sees it: /xfer/metacoll/out/ongoing/<folder>/<name> (`.zip` once zipped). */
  path: string;
  symbol: string;
  collectionId: string;
  kind: OutputKind;
  records: number;
  deliveredAt: string;
  zippedAt: string | null;
  removedAt: string | null;
}

interface FileRow {
  path: string;
  symbol: string;
  collection_id: string;
  kind: OutputKind;
  records: number;
  delivered_at: number;
  zipped_at: number | null;
  removed_at: number | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * Record output's bookkeeping: per collection, the last change delivered and when; and every file
 * delivered, zipped and removed. The one owner of `output_deliveries` and `output_files`.
 */
export class OutputLedger {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  cursor(symbol: string, collectionId: string): { lastSeq: number; lastAt: number } | undefined {
    const row = this.#db
      .prepare('SELECT last_seq, last_at FROM output_deliveries WHERE symbol = ? AND collection_id = ?')
      .get(symbol, collectionId) as { last_seq: number; last_at: number } | undefined;
    return row ? { lastSeq: row.last_seq, lastAt: row.last_at } : undefined;
  }

  /** Moves a collection's cursor and records the files of that delivery, in one transaction. */
  delivered(
    delivery: { symbol: string; collectionId: string; lastSeq: number; at: number },
    files: readonly { path: string; kind: string; records: number }[],
  ): void {
    const { symbol, collectionId, lastSeq, at } = delivery;
    this.#db.transaction(() => {
      this.#db
        .prepare(
          'INSERT OR REPLACE INTO output_deliveries (symbol, collection_id, last_seq, last_at) VALUES (?, ?, ?, ?)',
        )
        .run(symbol, collectionId, lastSeq, at);
      const insert = this.#db.prepare(
        'INSERT OR REPLACE INTO output_files (path, symbol, collection_id, kind, records, delivered_at) VALUES (?, ?, ?, ?, ?, ?)',
      );
      for (const f of files) insert.run(f.path, symbol, collectionId, f.kind, f.records, at);
    })();
  }

  files(filter: { symbol?: string | undefined; includeRemoved?: boolean } = {}): OutputFileRecord[] {
    const rows = this.#db
      .prepare(
        `SELECT * FROM output_files WHERE (? IS NULL OR symbol = ?) AND (? OR removed_at IS NULL)
         ORDER BY delivered_at, path`,
      )
      .all(filter.symbol ?? null, filter.symbol ?? null, filter.includeRemoved ? 1 : 0) as FileRow[];
    return rows.map((r) => ({
      path: r.zipped_at === null ? r.path : `${r.path}.zip`,
      symbol: r.symbol,
      collectionId: r.collection_id,
      kind: r.kind,
      records: r.records,
      deliveredAt: new Date(r.delivered_at).toISOString(),
      zippedAt: iso(r.zipped_at),
      removedAt: iso(r.removed_at),
    }));
  }

  /** Files delivered before `before` and not yet zipped (or removed). */
  unzippedBefore(before: number): { path: string; symbol: string }[] {
    return this.#db
      .prepare(
        'SELECT path, symbol FROM output_files WHERE delivered_at < ? AND zipped_at IS NULL AND removed_at IS NULL',
      )
      .all(before) as { path: string; symbol: string }[];
  }

  presentBefore(before: number): { path: string; symbol: string; zipped: boolean }[] {
    return (
      this.#db
        .prepare(
          'SELECT path, symbol, zipped_at FROM output_files WHERE delivered_at < ? AND removed_at IS NULL',
        )
        .all(before) as { path: string; symbol: string; zipped_at: number | null }[]
    ).map((r) => ({ path: r.path, symbol: r.symbol, zipped: r.zipped_at !== null }));
  }

  zipped(path: string, at: number): void {
    this.#db.prepare('UPDATE output_files SET zipped_at = ? WHERE path = ?').run(at, path);
  }

  removed(path: string, at: number): void {
    this.#db.prepare('UPDATE output_files SET removed_at = ? WHERE path = ?').run(at, path);
  }

  reset(): void {
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM output_deliveries').run();
      this.#db.prepare('DELETE FROM output_files').run();
    })();
  }
}
