import type Database from 'better-sqlite3';

const BLOCK = 1024;

/**
 * Hands out OCNs from a counter in the main database, reserved a block at a time in a tiny
 * transaction, so files processed at once in different workers never get the same number. At
 * the file's commit (or when it fails) the unused end of the block goes back if no other file
 * reserved after it, so files processed one after another number without gaps.
 */
export class NumberBlocks {
  readonly #main: Database.Database;
  readonly #name: string;
  readonly #start: number;
  #next = 0;
  #end = 0;

  constructor(main: Database.Database, name: string, start: number) {
    this.#main = main;
    this.#name = name;
    this.#start = start;
  }

  next(): number {
    if (this.#next >= this.#end) this.#reserve();
    return this.#next++;
  }

  /** Returns the unused numbers; call inside the commit's transaction, or after a failure. */
  release(): void {
    if (this.#next >= this.#end) return;
    this.#main
      .prepare('UPDATE counters SET value = ? WHERE name = ? AND value = ?')
      .run(this.#next, this.#name, this.#end);
    this.#end = this.#next;
  }

  #reserve(): void {
    this.#main
      .transaction(() => {
        const row = this.#main.prepare('SELECT value FROM counters WHERE name = ?').get(this.#name) as
          { value: number } | undefined;
        const from = row?.value ?? this.#start;
        this.#main
          .prepare('INSERT OR REPLACE INTO counters (name, value) VALUES (?, ?)')
          .run(this.#name, from + BLOCK);
        this.#next = from;
        this.#end = from + BLOCK;
      })
      .immediate();
  }
}
