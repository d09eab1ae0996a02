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

/**
 * At start, when no file is processing, puts each counter just after the highest number a
 * committed file used. A simulator killed mid-file leaves the blocks that file had reserved
 * counted as used; without this, the file processed again after the restart would get other
 * numbers than the same file processed by a simulator that never crashed.
 */
export function rewindNumberCounters(
  main: Database.Database,
  starts: { newOcnStart: number; provisionalOcnStart: number },
): void {
  const used = (sql: string): number => (main.prepare(sql).get() as { n: number | null } | undefined)?.n ?? 0;
  const highestCreated = used('SELECT max(CAST(ocn AS INTEGER)) AS n FROM worldcat_created');
  const highestProvisional = used(
    "SELECT max(CAST(worldcat_ocn AS INTEGER)) AS n FROM record_outcomes WHERE action = 'unresolved'",
  );
  const set = main.prepare('INSERT OR REPLACE INTO counters (name, value) VALUES (?, ?)');
  main.transaction(() => {
    set.run('next_ocn', Math.max(starts.newOcnStart, highestCreated + 1));
    set.run('next_provisional', Math.max(starts.provisionalOcnStart, highestProvisional + 1));
  })();
}
