import type Database from 'better-sqlite3';

const PER_STATEMENT = 256;
const MAX_BUFFERED = 8192;

/**
 * Buffers rows and inserts them many per statement: one prepared multi-row INSERT costs far less
 * than one statement per row (measured: per-row inserts were the largest cost per record). Values
 * go into one flat array and each statement is bound from a reused parameter array, so a flush
 * allocates nothing per row. With `sorted`, rows go in ordered by their first column, so B-tree
 * inserts into a keyed table touch neighbouring pages (the sort is stable, so for equal keys the
 * later row still wins a REPLACE).
 */
export class BatchInsert {
  readonly #db: Database.Database;
  readonly #head: string;
  readonly #columns: number;
  readonly #sorted: boolean;
  readonly #full: Database.Statement;
  readonly #params: unknown[];
  /** Statements for the shorter last run of a flush, by row count (prepared once each). */
  readonly #tails = new Map<number, Database.Statement>();
  readonly #rows: unknown[] = [];
  #count = 0;

  constructor(db: Database.Database, head: string, columns: number, options: { sorted?: boolean } = {}) {
    this.#db = db;
    this.#head = head;
    this.#columns = columns;
    this.#sorted = options.sorted ?? false;
    this.#full = db.prepare(this.#sql(PER_STATEMENT));
    this.#params = new Array<unknown>(PER_STATEMENT * columns);
  }

  add(...values: unknown[]): void {
    for (const value of values) this.#rows.push(value);
    this.#row();
  }

  /** Two-column rows without a rest-argument array per call (the common case per record). */
  add2(a: unknown, b: unknown): void {
    this.#rows.push(a, b);
    this.#row();
  }

  add3(a: unknown, b: unknown, c: unknown): void {
    this.#rows.push(a, b, c);
    this.#row();
  }

  #row(): void {
    // Unsorted rows go in as soon as one statement's worth is there: held longer, their values
    // outlive the young generation and the garbage collector has to copy them.
    if (++this.#count >= (this.#sorted ? MAX_BUFFERED : PER_STATEMENT)) this.flush();
  }

  flush(): void {
    const count = this.#count;
    if (count === 0) return;
    const width = this.#columns;
    const rows = this.#rows;
    const order = this.#sorted ? sortedOrder(rows, width, count) : undefined;
    const params = this.#params;
    let at = 0;
    for (; at + PER_STATEMENT <= count; at += PER_STATEMENT) {
      fill(params, rows, order, width, at, PER_STATEMENT);
      this.#full.run(params);
    }
    if (at < count) {
      const tail = new Array<unknown>((count - at) * width);
      fill(tail, rows, order, width, at, count - at);
      let statement = this.#tails.get(count - at);
      if (!statement) {
        statement = this.#db.prepare(this.#sql(count - at));
        this.#tails.set(count - at, statement);
      }
      statement.run(tail);
    }
    rows.length = 0;
    this.#count = 0;
  }

  #sql(rows: number): string {
    const one = `(${Array<string>(this.#columns).fill('?').join(', ')})`;
    return `${this.#head} VALUES ${Array<string>(rows).fill(one).join(', ')}`;
  }
}

/** Copies `n` rows starting at row `from` (in `order` when given) into `target`. */
function fill(
  target: unknown[],
  rows: unknown[],
  order: Uint32Array | undefined,
  width: number,
  from: number,
  n: number,
): void {
  let t = 0;
  for (let i = from; i < from + n; i++) {
    const row = order ? (order[i] ?? 0) : i;
    for (let c = 0; c < width; c++) target[t++] = rows[row * width + c];
  }
}

/** Row numbers ordered by the first column (stable: equal keys keep their order). */
function sortedOrder(rows: unknown[], width: number, count: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  const key = (row: number): unknown => rows[row * width];
  return order.sort((a, b) => {
    const x = key(a) as string | number;
    const y = key(b) as string | number;
    return x < y ? -1 : x > y ? 1 : a - b;
  });
}
