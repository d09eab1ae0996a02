import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { DataSyncError } from '../oclc/error-catalogue.ts';
import { onUserPathAsync } from '../oclc/file-system-error.ts';

const BLOCK = 1024 * 1024;

/**
 * Where a part's bytes are: ranges of files (input files, or spool files), in sending order.
 * Adjacent ranges of one file merge, so a run of records of one kind in an ISO 2709 input costs
 * one range, not one per record.
 */
export class PartBytes {
  readonly #files: string[] = [];
  readonly #file: number[] = [];
  readonly #offset: number[] = [];
  readonly #length: number[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(file: string, offset: number, length: number): void {
    if (this.#files.at(-1) !== file) this.#files.push(file);
    const index = this.#files.length - 1;
    const last = this.#file.length - 1;
    const lastOffset = this.#offset[last] ?? -1;
    const lastLength = this.#length[last] ?? 0;
    if (last >= 0 && this.#file[last] === index && lastOffset + lastLength === offset)
      this.#length[last] = lastLength + length;
    else {
      this.#file.push(index);
      this.#offset.push(offset);
      this.#length.push(length);
    }
    this.#size += length;
  }

  /**
   * The bytes in blocks of up to 1 MiB, each a new buffer (uploads keep several in flight). Small
   * ranges are gathered from one read-ahead window of the file, so a part of scattered records
   * costs about one sequential read of its files.
   */
  async *blocks(): AsyncGenerator<Buffer> {
    let handle: FileHandle | undefined;
    let handleFile = -1;
    const window = Buffer.allocUnsafe(BLOCK);
    let windowStart = 0;
    let windowEnd = 0;
    let block = Buffer.allocUnsafe(Math.min(BLOCK, this.#size));
    let used = 0;
    let left = this.#size;
    try {
      for (let range = 0; range < this.#file.length; range++) {
        const fileIndex = this.#file[range] ?? 0;
        const path = this.#files[fileIndex] ?? '';
        if (fileIndex !== handleFile || !handle) {
          await handle?.close();
          handle = await onUserPathAsync({ path, use: 'read', what: 'input file' }, () => open(path, 'r'));
          handleFile = fileIndex;
          windowEnd = windowStart = 0;
        }
        let offset = this.#offset[range] ?? 0;
        let length = this.#length[range] ?? 0;
        while (length > 0) {
          if (offset < windowStart || offset >= windowEnd) {
            const { bytesRead } = await handle.read(window, 0, BLOCK, offset);
            if (bytesRead === 0)
              throw new DataSyncError('INPUT_UNREADABLE', {
                path,
                reason: 'it became shorter while it was being published; publish it again',
              });
            windowStart = offset;
            windowEnd = offset + bytesRead;
          }
          const take = Math.min(length, windowEnd - offset, block.length - used);
          window.copy(block, used, offset - windowStart, offset - windowStart + take);
          used += take;
          offset += take;
          length -= take;
          if (used === block.length) {
            yield block;
            left -= used;
            used = 0;
            block = Buffer.allocUnsafe(Math.min(BLOCK, left));
          }
        }
      }
    } finally {
      await handle?.close();
    }
  }

  /** SHA-256 (hex) of the bytes, read from disk. */
  async sha256(): Promise<string> {
    const hash = createHash('sha256');
    for await (const block of this.blocks()) hash.update(block);
    return hash.digest('hex');
  }
}
