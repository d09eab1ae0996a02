import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { DataSyncError } from '../oclc/error-catalogue.ts';
import { onUserPath } from '../oclc/file-system-error.ts';

const BLOCK = 1024 * 1024;
const PAGE_BITS = 14;
const PAGE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE - 1;

/**
 * Where a part's bytes are: ranges of files (input files, or spool files), in sending order.
 * Adjacent ranges of one file merge, so a run of records of one kind in an ISO 2709 input costs
 * one range, not one per record.
 */
export class PartBytes {
  /** The files, each with the index of its first range. */
  readonly #files: { path: string; from: number }[] = [];
  /** Range offsets and lengths in pages of typed arrays: 16 bytes a range, no spare capacity
   * beyond one page (a 1 GB input with interleaved deletes has hundreds of thousands). */
  readonly #offsets: Float64Array[] = [];
  readonly #lengths: Float64Array[] = [];
  #ranges = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(file: string, offset: number, length: number): void {
    this.#size += length;
    const last = this.#ranges - 1;
    if (this.#files.at(-1)?.path === file && last >= 0) {
      const page = last >> PAGE_BITS;
      const at = last & PAGE_MASK;
      const lengths = this.#lengths[page];
      const lastOffset = this.#offsets[page]?.[at] ?? -1;
      if (lengths && lastOffset + (lengths[at] ?? 0) === offset) {
        lengths[at] = (lengths[at] ?? 0) + length;
        return;
      }
    } else this.#files.push({ path: file, from: this.#ranges });
    const page = this.#ranges >> PAGE_BITS;
    const at = this.#ranges & PAGE_MASK;
    if (at === 0) {
      this.#offsets.push(new Float64Array(PAGE));
      this.#lengths.push(new Float64Array(PAGE));
    }
    (this.#offsets[page] ?? new Float64Array(0))[at] = offset;
    (this.#lengths[page] ?? new Float64Array(0))[at] = length;
    this.#ranges++;
  }

  /** The ranges in order, each with its file. */
  *#each(): Generator<{ path: string; offset: number; length: number }> {
    for (const [index, file] of this.#files.entries()) {
      const to = this.#files[index + 1]?.from ?? this.#ranges;
      for (let range = file.from; range < to; range++) {
        const page = range >> PAGE_BITS;
        const at = range & PAGE_MASK;
        yield {
          path: file.path,
          offset: this.#offsets[page]?.[at] ?? 0,
          length: this.#lengths[page]?.[at] ?? 0,
        };
      }
    }
  }

  /**
   * The bytes in blocks of up to 1 MiB. The block is one buffer, refilled for the next: a caller
   * must use (or copy) it before asking for the next (an upload's WRITEs copy their bytes into
   * their packets as they are sent). A fresh megabyte per block made the collector run for the
   * allocations alone. A stretch that fills the rest of the block is read straight into it; small
   * ranges are gathered from one read-ahead window of the file, so a part of scattered records
   * costs about one sequential read of its files.
   */
  async *blocks(): AsyncGenerator<Buffer> {
    let handle: number | undefined;
    let handlePath: string | undefined;
    const window = Buffer.allocUnsafe(BLOCK);
    let windowStart = 0;
    let windowEnd = 0;
    const buffer = Buffer.allocUnsafe(Math.min(BLOCK, this.#size));
    let block = buffer;
    let used = 0;
    let left = this.#size;
    const short = (path: string): DataSyncError =>
      new DataSyncError('INPUT_UNREADABLE', {
        path,
        reason: 'it became shorter while it was being published; publish it again',
      });
    try {
      for (const range of this.#each()) {
        const path = range.path;
        if (path !== handlePath || handle === undefined) {
          if (handle !== undefined) closeSync(handle);
          handle = onUserPath({ path, use: 'read', what: 'input file' }, () => openSync(path, 'r'));
          handlePath = path;
          windowEnd = windowStart = 0;
        }
        let { offset, length } = range;
        while (length > 0) {
          let take: number;
          if ((offset < windowStart || offset >= windowEnd) && length >= block.length - used) {
            // The range fills the rest of the block: read it there, not through the window.
            take = readSync(handle, block, used, block.length - used, offset);
            if (take === 0) throw short(path);
          } else {
            if (offset < windowStart || offset >= windowEnd) {
              // Read synchronously: 1 MiB from the page cache takes well under a millisecond, and
              // the promise API spent more main-thread time than the copy (2 s for 2 GB read).
              const bytesRead = readSync(handle, window, 0, BLOCK, offset);
              if (bytesRead === 0) throw short(path);
              windowStart = offset;
              windowEnd = offset + bytesRead;
            }
            take = Math.min(length, windowEnd - offset, block.length - used);
            window.copy(block, used, offset - windowStart, offset - windowStart + take);
          }
          used += take;
          offset += take;
          length -= take;
          if (used === block.length) {
            yield block;
            left -= used;
            used = 0;
            block = buffer.subarray(0, Math.min(BLOCK, left));
          }
        }
      }
    } finally {
      if (handle !== undefined) closeSync(handle);
    }
  }

  /** SHA-256 (hex) of the bytes, read from disk. */
  async sha256(): Promise<string> {
    const hash = createHash('sha256');
    for await (const block of this.blocks()) hash.update(block);
    return hash.digest('hex');
  }
}
