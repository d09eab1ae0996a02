import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { onUserPath } from '../oclc/file-system-error.ts';

const BUFFER = 1024 * 1024;

/**
 * A file written front to back through one reused 1 MiB buffer, hashed (SHA-256) and counted as
 * it goes, so a publish holds at most a buffer per open file whatever the input's size.
 */
export class SpoolFile {
  readonly path: string;
  #fd: number;
  readonly #hash: Hash = createHash('sha256');
  readonly #buffer = Buffer.allocUnsafe(BUFFER);
  #used = 0;
  #size = 0;

  constructor(path: string) {
    this.path = path;
    this.#fd = this.#onDisk(() => openSync(path, 'w'));
  }

  /** Bytes written so far. */
  get size(): number {
    return this.#size;
  }

  write(bytes: Buffer): void {
    if (bytes.length > BUFFER - this.#used) this.#flush();
    if (bytes.length >= BUFFER) this.#put(bytes);
    else {
      bytes.copy(this.#buffer, this.#used);
      this.#used += bytes.length;
    }
    this.#size += bytes.length;
  }

  /** Closes the file; returns its SHA-256 (hex). */
  close(): string {
    this.#flush();
    this.#onDisk(() => closeSync(this.#fd));
    this.#fd = -1;
    return this.#hash.digest('hex');
  }

  #flush(): void {
    if (this.#used === 0) return;
    this.#put(this.#buffer.subarray(0, this.#used));
    this.#used = 0;
  }

  #put(bytes: Buffer): void {
    this.#hash.update(bytes);
    let done = 0;
    while (done < bytes.length) done += this.#onDisk(() => writeSync(this.#fd, bytes, done));
  }

  #onDisk<T>(step: () => T): T {
    return onUserPath({ path: this.path, use: 'write', what: 'publish spool file (in TMPDIR)' }, step);
  }
}
