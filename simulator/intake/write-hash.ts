import { createHash } from 'node:crypto';

/** Writes that arrive ahead of the next expected offset are held up to this many bytes. */
const MAX_AHEAD = 8 << 20;

export interface Measured {
  size: number;
  sha256: string;
}

/**
 * SHA-256 of an upload computed from its WRITEs as they arrive, so a finished upload is not read
 * back from disk to hash it. Pipelined clients may send a WRITE ahead of the one before it: those
 * are held (bounded) until the gap fills. Anything else (overlapping writes, a gap that never
 * fills, too much held) gives up, and the caller hashes the file instead.
 */
export class WriteHash {
  readonly #hash = createHash('sha256');
  readonly #ahead = new Map<number, Buffer>();
  #aheadBytes = 0;
  #next = 0;
  #broken = false;

  update(offset: number, data: Buffer): void {
    if (this.#broken) return;
    if (offset === this.#next) {
      this.#take(data);
      for (let held = this.#ahead.get(this.#next); held; held = this.#ahead.get(this.#next)) {
        this.#ahead.delete(this.#next);
        this.#aheadBytes -= held.length;
        this.#take(held);
      }
    } else if (
      offset > this.#next &&
      !this.#ahead.has(offset) &&
      this.#aheadBytes + data.length <= MAX_AHEAD
    ) {
      // ssh2 hands us a view of its packet buffer: keep a copy.
      this.#ahead.set(offset, Buffer.from(data));
      this.#aheadBytes += data.length;
    } else {
      this.#broken = true;
      this.#ahead.clear();
    }
  }

  /** The file's size and hash, if every byte of a file of `size` bytes was written once, in order. */
  result(size: number): Measured | undefined {
    if (this.#broken || this.#ahead.size > 0 || size !== this.#next) return undefined;
    return { size, sha256: this.#hash.digest('hex') };
  }

  #take(data: Buffer): void {
    this.#hash.update(data);
    this.#next += data.length;
  }
}
