import { closeSync, openSync, writeSync } from 'node:fs';

/** Where a check's output goes: a file written with few large writes, or standard output. */
export class LineOutput {
  readonly #fd: number | undefined;
  #buffer: string[] = [];
  #size = 0;

  readonly #beforeStdout: (() => void) | undefined;

  /**
   * `undefined` or `-` writes to standard output; `beforeStdout` runs before each write there
   * (a progress bar on the same terminal clears its line).
   */
  constructor(path: string | undefined, options: { beforeStdout?: () => void } = {}) {
    this.#fd = path === undefined || path === '-' ? undefined : openSync(path, 'w');
    this.#beforeStdout = options.beforeStdout;
  }

  write(text: string): void {
    this.#buffer.push(text);
    this.#size += text.length;
    // A person at a terminal sees each problem as it is found; files and pipes get large writes.
    if (this.#size > 64 * 1024 || (this.#fd === undefined && process.stdout.isTTY)) this.flush();
  }

  flush(): void {
    if (this.#buffer.length === 0) return;
    const text = this.#buffer.join('');
    this.#buffer = [];
    this.#size = 0;
    // process.stdout writes synchronously on Linux for files, pipes and terminals.
    if (this.#fd === undefined) {
      this.#beforeStdout?.();
      process.stdout.write(text);
    } else writeSync(this.#fd, text);
  }

  close(): void {
    this.flush();
    if (this.#fd !== undefined) closeSync(this.#fd);
  }
}
