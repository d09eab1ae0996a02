/** A byte range [from, to) of a file. */
interface Range {
  from: number;
  to: number;
}

/**
 * Which bytes of an upload were written, as sorted, merged ranges. Pipelined clients send WRITEs
 * out of order, so a gap is normal while they arrive; one still open at CLOSE means the client
 * skipped bytes (or lost a failed WRITE), and the file must not be taken as complete.
 */
export class WrittenRanges {
  #ranges: Range[] = [];

  /** Starts with [0, size) written: a file opened to continue keeps what it holds. */
  constructor(size = 0) {
    if (size > 0) this.#ranges.push({ from: 0, to: size });
  }

  add(from: number, to: number): void {
    if (to <= from) return;
    const kept: Range[] = [];
    let merged = { from, to };
    for (const range of this.#ranges) {
      if (range.to < merged.from || range.from > merged.to) kept.push(range);
      else merged = { from: Math.min(range.from, merged.from), to: Math.max(range.to, merged.to) };
    }
    kept.push(merged);
    this.#ranges = kept.sort((a, b) => a.from - b.from);
  }

  /** The file was cut to `size`: bytes past it no longer exist. */
  truncate(size: number): void {
    this.#ranges = this.#ranges
      .filter((r) => r.from < size)
      .map((r) => ({ from: r.from, to: Math.min(r.to, size) }));
  }

  /** The first byte range of [0, size) never written, if any. */
  firstGap(size: number): Range | undefined {
    let next = 0;
    for (const range of this.#ranges) {
      if (range.from > next) return { from: next, to: Math.min(range.from, size) };
      next = Math.max(next, range.to);
      if (next >= size) return undefined;
    }
    return next < size ? { from: next, to: size } : undefined;
  }
}
