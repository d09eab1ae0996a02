import type Database from 'better-sqlite3';

/**
 * Buffers rows and inserts them many per statement: one prepared multi-row INSERT per batch costs
 * far less than one statement per row (measured: per-row inserts were the largest cost per record).
 */
export class BatchInsert {
  readonly #db: Database.Database;
  readonly #head: string;
  readonly #columns: number;
  readonly #size: number;
  readonly #full: Database.Statement;
  #rows: unknown[] = [];
  #count = 0;

  constructor(db: Database.Database, head: string, columns: number, size = 256) {
    this.#db = db;
    this.#head = head;
    this.#columns = columns;
    this.#size = size;
    this.#full = db.prepare(this.#sql(size));
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
    if (++this.#count === this.#size) this.flush();
  }

  flush(): void {
    if (this.#count === 0) return;
    const statement = this.#count === this.#size ? this.#full : this.#db.prepare(this.#sql(this.#count));
    statement.run(...this.#rows);
    this.#rows = [];
    this.#count = 0;
  }

  #sql(rows: number): string {
    const one = `(${Array<string>(this.#columns).fill('?').join(', ')})`;
    return `${this.#head} VALUES ${Array<string>(rows).fill(one).join(', ')}`;
  }
}
