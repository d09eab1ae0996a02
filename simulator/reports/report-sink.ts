import { closeSync, openSync, writeSync } from 'node:fs';

const BUFFER_BYTES = 256 * 1024;

/**
 * Appends report lines to a file with few, large writes; the file exists even when empty. Each
 * line is encoded into one reused buffer at once, so its string dies young: buffering the strings
 * themselves kept a quarter-megabyte of them alive per report until a flush, which made the
 * garbage collector copy and promote them (a fifth of a million-record file's time).
 */
export class ReportSink {
  readonly path: string;
  #fd: number;
  readonly #buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  #used = 0;
  lines = 0;

  constructor(path: string) {
    this.path = path;
    this.#fd = openSync(path, 'w');
  }

  write(line: string): void {
    this.lines++;
    // UTF-8 takes at most 3 bytes per UTF-16 unit; a line that might not fit goes out on its own.
    if (this.#used + line.length * 3 + 1 > BUFFER_BYTES) {
      this.#flush();
      if (line.length * 3 + 1 > BUFFER_BYTES) {
        writeSync(this.#fd, `${line}\n`);
        return;
      }
    }
    this.#used += this.#buffer.write(line, this.#used, 'utf8');
    this.#buffer[this.#used++] = 0x0a;
  }

  close(): void {
    this.#flush();
    closeSync(this.#fd);
  }

  #flush(): void {
    let at = 0;
    while (at < this.#used) at += writeSync(this.#fd, this.#buffer, at, this.#used - at);
    this.#used = 0;
  }
}
