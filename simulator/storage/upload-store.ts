import type { NameViolation } from '../../oclc/upload-name.ts';
import type { Db } from './open-database.ts';

/**
 * receiving → received → queued → processing → processed (or failed) is the normal path; halted
 * files never reach processing; superseded ones were replaced by a same-named file that day;
 * refused uploads never get bytes; incomplete ones lost their connection before CLOSE; removed
 * ones were deleted before pickup; temporary ones are a client's upload under a temporary name
 * (`.name`, `*.filepart`, …) not yet renamed to its final name.
 */
export const UPLOAD_STATES = [
  'receiving',
  'received',
  'queued',
  'processing',
  'processed',
  'failed',
  'superseded',
  'halted',
  'refused',
  'incomplete',
  'removed',
  'temporary',
] as const;

/** Where an upload is: receiving, received, queued, processing, processed, failed, … */
export type UploadState = (typeof UPLOAD_STATES)[number];

/** What processing made of a file: record counts by action, and the reports written. */
export interface ProcessingSummary {
  records: number;
  actions: Record<string, number>;
  dataErrors: number;
  holdingsSet: number;
  holdingsCancelled: number;
  reports: string[];
  /** Records per error class ("Validation Error (SEVERE)", "Data Error"); absent before issue 28. */
  errorClasses?: Record<string, number>;
  /** An LHR file's replace-all effect on the institutions' LHRs. */
  lhr?: LhrEffect;
}

/**
 * What an LHR file did to the LHRs: `added` new LSNs, `replaced` existing ones, `deleted` on
 * request, and `removedByReplace`: LHRs the file left out of an OCN it set (replace-all).
 */
export interface LhrEffect {
  added: number;
  replaced: number;
  deleted: number;
  removedByReplace: number;
}

/** An upload the simulator received: name, account, state, size, digest and times. */
export interface UploadRecord {
  id: number;
  account: string;
  senderSymbol: string;
  targetSymbol: string;
  folder: string;
  name: string;
  tempName: string | null;
  kind: 'bib' | 'lhr';
  collectionId: string | null;
  routedToDefault: boolean;
  state: UploadState;
  size: number | null;
  sha256: string | null;
  startedAt: number;
  receivedAt: number | null;
  queuedAt: number | null;
  violations: NameViolation[];
  reason: string | null;
  storedPath: string | null;
  processedAt: number | null;
  summary: ProcessingSummary | null;
}

export interface UploadRow {
  id: number;
  account: string;
  sender_symbol: string;
  target_symbol: string;
  folder: string;
  name: string;
  temp_name: string | null;
  kind: 'bib' | 'lhr';
  collection_id: string | null;
  routed_to_default: number;
  state: UploadState;
  size: number | null;
  sha256: string | null;
  started_at: number;
  received_at: number | null;
  queued_at: number | null;
  violations: string | null;
  reason: string | null;
  stored_path: string | null;
  processed_at: number | null;
  summary: string | null;
}

export type NewUpload = Pick<
  UploadRecord,
  'account' | 'senderSymbol' | 'targetSymbol' | 'folder' | 'name' | 'kind' | 'state' | 'startedAt'
> &
  Partial<Pick<UploadRecord, 'tempName' | 'collectionId' | 'routedToDefault' | 'violations' | 'reason'>>;

export type UploadChanges = Partial<Omit<UploadRecord, 'id' | 'startedAt'>>;

const COLUMNS: Record<keyof UploadChanges, string> = {
  account: 'account',
  senderSymbol: 'sender_symbol',
  targetSymbol: 'target_symbol',
  folder: 'folder',
  name: 'name',
  tempName: 'temp_name',
  kind: 'kind',
  collectionId: 'collection_id',
  routedToDefault: 'routed_to_default',
  state: 'state',
  size: 'size',
  sha256: 'sha256',
  receivedAt: 'received_at',
  queuedAt: 'queued_at',
  violations: 'violations',
  reason: 'reason',
  storedPath: 'stored_path',
  processedAt: 'processed_at',
  summary: 'summary',
};

export interface UploadFilter {
  state?: UploadState;
  account?: string;
  symbol?: string;
}

/** The file lifecycle table: every upload attempt, accepted or not. */
export class UploadStore {
  readonly #db: Db;
  readonly #nextId: (() => number) | undefined;

  /** `nextId` gives ids unique across replicas (a PostgreSQL store); SQLite picks them otherwise. */
  constructor(db: Db, nextId?: () => number) {
    this.#db = db;
    this.#nextId = nextId;
  }

  insert(upload: NewUpload): UploadRecord {
    const info = this.#db
      .prepare(
        `INSERT INTO uploads (id, account, sender_symbol, target_symbol, folder, name, temp_name, kind,
           collection_id, routed_to_default, state, started_at, violations, reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        this.#nextId?.() ?? null,
        upload.account,
        upload.senderSymbol,
        upload.targetSymbol,
        upload.folder,
        upload.name,
        upload.tempName ?? null,
        upload.kind,
        upload.collectionId ?? null,
        upload.routedToDefault ? 1 : 0,
        upload.state,
        upload.startedAt,
        upload.violations && upload.violations.length > 0 ? JSON.stringify(upload.violations) : null,
        upload.reason ?? null,
      );
    return this.get(Number(info.lastInsertRowid));
  }

  update(id: number, changes: UploadChanges): UploadRecord {
    const entries = Object.entries(changes) as [keyof UploadChanges, unknown][];
    if (entries.length > 0) {
      const sets = entries.map(([key]) => `${COLUMNS[key]} = ?`).join(', ');
      const values = entries.map(([key, value]) => toColumn(key, value));
      this.#db.prepare(`UPDATE uploads SET ${sets} WHERE id = ?`).run(...values, id);
    }
    return this.get(id);
  }

  /**
   * Processing's last write, inside the transaction that commits the file's effects (the worker's
   * own connection), so a file is processed exactly when its holdings are.
   */
  markProcessed(id: number, processedAt: number, summary: ProcessingSummary): void {
    this.#db
      .prepare(
        `UPDATE uploads SET state = 'processed', processed_at = ?, summary = ?, reason = NULL WHERE id = ?`,
      )
      .run(processedAt, JSON.stringify(summary), id);
  }

  /** Forgets every upload (a reset). */
  reset(): void {
    this.#db.prepare('DELETE FROM uploads').run();
  }

  get(id: number): UploadRecord {
    const record = this.find(id);
    if (!record) throw new Error(`upload ${id} does not exist`);
    return record;
  }

  /** Forgets a record: a temporary name renamed or removed leaves nothing to show. */
  delete(id: number): void {
    this.#db.prepare('DELETE FROM uploads WHERE id = ?').run(id);
  }

  find(id: number): UploadRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM uploads WHERE id = ?').get(id) as UploadRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** Files an institution's account has in the processing queue (stored copies not yet deleted). */
  storedPaths(senderSymbol: string): string[] {
    const rows = this.#db
      .prepare('SELECT stored_path FROM uploads WHERE sender_symbol = ? AND stored_path IS NOT NULL')
      .all(senderSymbol) as { stored_path: string }[];
    return rows.map((row) => row.stored_path);
  }

  /** Finished uploads (processed, failed, superseded) whose stored copy is older than `before`. */
  expiredCopies(before: number): UploadRecord[] {
    const rows = this.#db
      .prepare(
        `SELECT * FROM uploads WHERE stored_path IS NOT NULL
           AND state IN ('processed', 'failed', 'superseded')
           AND COALESCE(processed_at, queued_at, received_at, started_at) <= ?`,
      )
      .all(before) as UploadRow[];
    return rows.map(fromRow);
  }

  /** Earlier uploads of a name for an institution (target), oldest first: OCLC's same-name rule. */
  namedBefore(targetSymbol: string, name: string, beforeId: number): UploadRecord[] {
    const rows = this.#db
      .prepare('SELECT * FROM uploads WHERE target_symbol = ? AND name = ? AND id < ? ORDER BY id')
      .all(targetSymbol, name, beforeId) as UploadRow[];
    return rows.map(fromRow);
  }

  /** The newest upload of this name into this folder by this sender (folder paths as the tree spells them). */
  latestNamed(senderSymbol: string, folder: string, name: string): UploadRecord | undefined {
    const row = this.#db
      .prepare(
        'SELECT * FROM uploads WHERE sender_symbol = ? AND folder = ? COLLATE NOCASE AND name = ? ORDER BY id DESC LIMIT 1',
      )
      .get(senderSymbol, folder, name) as UploadRow | undefined;
    return row ? this.find(row.id) : undefined;
  }

  /** How many uploads are in `state` now (the metrics' queue depth). */
  count(state: UploadState): number {
    const row = this.#db.prepare('SELECT COUNT(*) AS n FROM uploads WHERE state = ?').get(state) as {
      n: number;
    };
    return row.n;
  }

  list(filter: UploadFilter = {}): UploadRecord[] {
    const where: string[] = [];
    const values: string[] = [];
    if (filter.state) {
      where.push('state = ?');
      values.push(filter.state);
    }
    if (filter.account) {
      where.push('account = ?');
      values.push(filter.account);
    }
    if (filter.symbol) {
      where.push('(sender_symbol = ? OR target_symbol = ?)');
      values.push(filter.symbol, filter.symbol);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const rows = this.#db
      .prepare(`SELECT * FROM uploads ${clause} ORDER BY id`)
      .all(...values) as UploadRow[];
    return rows.map(fromRow);
  }
}

function toColumn(key: keyof UploadChanges, value: unknown): unknown {
  if (key === 'routedToDefault') return value ? 1 : 0;
  if (key === 'summary') return value ? JSON.stringify(value) : null;
  if (key === 'violations') {
    const list = value as NameViolation[] | undefined;
    return list && list.length > 0 ? JSON.stringify(list) : null;
  }
  return value ?? null;
}

export function fromRow(row: UploadRow): UploadRecord {
  return {
    id: row.id,
    account: row.account,
    senderSymbol: row.sender_symbol,
    targetSymbol: row.target_symbol,
    folder: row.folder,
    name: row.name,
    tempName: row.temp_name,
    kind: row.kind,
    collectionId: row.collection_id,
    routedToDefault: row.routed_to_default === 1,
    state: row.state,
    size: row.size,
    sha256: row.sha256,
    startedAt: row.started_at,
    receivedAt: row.received_at,
    queuedAt: row.queued_at,
    violations: row.violations ? (JSON.parse(row.violations) as NameViolation[]) : [],
    reason: row.reason,
    storedPath: row.stored_path,
    processedAt: row.processed_at,
    summary: row.summary ? (JSON.parse(row.summary) as ProcessingSummary) : null,
  };
}
