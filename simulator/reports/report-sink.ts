import { closeSync, openSync, writeSync } from 'node:fs';

/** Appends report lines to a file with few, large writes; the file exists even when empty. */
export class ReportSink {
  readonly path: string;
  #fd: number;
  #buffer: string[] = [];
  #size = 0;
  lines = 0;

  constructor(path: string) {
    this.path = path;
    this.#fd = openSync(path, 'w');
  }

  write(line: string): void {
    this.#buffer.push(line);
    this.#size += line.length + 1;
    this.lines++;
    if (this.#size > 256 * 1024) this.#flush();
  }

  close(): void {
    this.#flush();
    closeSync(this.#fd);
  }

  #flush(): void {
    if (this.#buffer.length === 0) return;
    writeSync(this.#fd, `${this.#buffer.join('\n')}\n`);
    this.#buffer = [];
    this.#size = 0;
  }
}
