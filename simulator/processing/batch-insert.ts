import type Database from 'better-sqlite3';

const PER_STATEMENT = 256;
const MAX_BUFFERED = 8192;

/**
 * Buffers rows and inserts them many per statement: one prepared multi-row INSERT costs far less
 * than one statement per row (measured: per-row inserts were the largest cost per record). With
 * `sorted`, rows go in ordered by their first column, so B-tree inserts into a keyed table touch
 * neighbouring pages (the sort is stable, so for equal keys the later row still wins a REPLACE).
 */
export class BatchInsert {
  readonly #db: Database.Database;
  readonly #head: string;
  readonly #columns: number;
  readonly #sorted: boolean;
  readonly #full: Database.Statement;
  #rows: unknown[] = [];
  #count = 0;

  constructor(db: Database.Database, head: string, columns: number, options: { sorted?: boolean } = {}) {
    this.#db = db;
    this.#head = head;
    this.#columns = columns;
    this.#sorted = options.sorted ?? false;
    this.#full = db.prepare(this.#sql(PER_STATEMENT));
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
    if (++this.#count >= MAX_BUFFERED) this.flush();
  }

  flush(): void {
    if (this.#count === 0) return;
    const rows = this.#sorted ? this.#sortedRows() : this.#rows;
    const width = this.#columns;
    let at = 0;
    for (; at + PER_STATEMENT <= this.#count; at += PER_STATEMENT) {
      this.#full.run(...rows.slice(at * width, (at + PER_STATEMENT) * width));
    }
    if (at < this.#count) this.#db.prepare(this.#sql(this.#count - at)).run(...rows.slice(at * width));
    this.#rows = [];
    this.#count = 0;
  }

  #sortedRows(): unknown[] {
    const width = this.#columns;
    const rows = this.#rows;
    const order = Array.from({ length: this.#count }, (_, i) => i);
    order.sort((a, b) => {
      const x = String(rows[a * width]);
      const y = String(rows[b * width]);
      return x < y ? -1 : x > y ? 1 : 0;
    });
    const out: unknown[] = new Array(rows.length);
    order.forEach((row, i) => {
      for (let c = 0; c < width; c++) out[i * width + c] = rows[row * width + c];
    });
    return out;
  }

  #sql(rows: number): string {
    const one = `(${Array<string>(this.#columns).fill('?').join(', ')})`;
    return `${this.#head} VALUES ${Array<string>(rows).fill(one).join(', ')}`;
  }
}
