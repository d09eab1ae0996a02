import { closeSync, fstatSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { DataSyncError, toDataSyncError } from '../../oclc/error-catalogue.ts';
import { storageFailure, type FailureSite } from '../storage/storage-failure.ts';
import type { SpaceClaim } from './space-guard.ts';
import { WriteHash, type Measured } from './write-hash.ts';
import { WrittenRanges } from './written-ranges.ts';

/** A closed upload's size and hash as written, and its modification time then. */
export type Written = Measured & { mtimeMs: number };

/** What an upload does once its bytes are all written, and when it is given up. */
export interface UploadFinish {
  /**
   * Moves the written file to its place and records it; may fail like any disk operation.
   * `written` is the file as hashed while it was written, when that worked out (see WriteHash).
   */
  complete(written: Written | undefined): Promise<void>;
  /** Records why the upload was not kept (its file is already gone). */
  giveUp(reason: string): void;
  /**
   * Whether a file left open when the connection ends is removed. Temporary names stay, so a
   * client can resume them; final names were never complete, so they go.
   */
  discardOnAbandon: boolean;
}

/**
 * One file open for writing through the intake. A write that fails (disk full, quota, I/O error,
 * or a fault rule's answer) is answered with a catalogued error, the partial file is removed and
 * the upload is given up with the failed offset; every later request on the handle, CLOSE
 * included, gets a failure saying so, and the server goes on serving. A file whose bytes were not
 * all written (a gap left by a WRITE past the end) is refused at CLOSE the same way.
 */
export class OpenUpload {
  readonly #site: FailureSite;
  readonly #filePath: string;
  readonly #claim: SpaceClaim;
  readonly #finish: UploadFinish;
  readonly #hash = new WriteHash();
  readonly #ranges: WrittenRanges;
  #fd: number;
  #extent: number;
  #failure: DataSyncError | undefined;
  #done = false;

  constructor(deps: {
    fd: number;
    site: FailureSite;
    filePath: string;
    claim: SpaceClaim;
    finish: UploadFinish;
  }) {
    this.#fd = deps.fd;
    this.#site = deps.site;
    this.#filePath = deps.filePath;
    this.#claim = deps.claim;
    this.#finish = deps.finish;
    this.#extent = fstatSync(deps.fd).size;
    this.#ranges = new WrittenRanges(this.#extent);
  }

  /** The open file, for reads and FSTAT on the same handle. */
  get fd(): number {
    if (this.#failure) throw this.#failure;
    return this.#fd;
  }

  stat(): Stats {
    return fstatSync(this.fd);
  }

  /** Writes at the explicit offset (pipelined clients send WRITEs out of order), or at the end. */
  write(offset: number, data: Buffer, append: boolean): void {
    if (this.#failure) throw this.#failure;
    const at = append ? this.#extent : offset;
    try {
      const end = at + data.length;
      this.#claim.grow(end, this.#site);
      writeSync(this.#fd, data, 0, data.length, append ? null : offset);
      this.#extent = Math.max(this.#extent, end);
      this.#ranges.add(at, end);
      this.#hash.update(at, data);
    } catch (error) {
      const failure = toDataSyncError(storageFailure(error, this.#site), this.#site.action);
      throw this.#fail(failure, `the WRITE at offset ${at} failed: ${failure.message}`);
    }
  }

  /**
   * A WRITE at `offset` was answered with a failure without reaching the file (a fault rule): the
   * file would have a hole there, so the upload is given up as if the disk had failed.
   */
  writeFailed(offset: number, reason: string): void {
    if (this.#failure || this.#done) return;
    const failure = new DataSyncError('UPLOAD_WRITE_FAILED', { ...this.#site, offset, reason });
    this.#fail(failure, failure.message);
  }

  /** The client set the file's size (FSETSTAT): bytes past it are gone, bytes up to it count. */
  resized(size: number): void {
    if (size < this.#extent) this.#ranges.truncate(size);
    else this.#ranges.add(this.#extent, size);
    this.#extent = size;
  }

  async close(): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (this.#done) return;
    this.#done = true;
    try {
      const stats = fstatSync(this.#fd);
      const gap = this.#ranges.firstGap(stats.size);
      if (gap) {
        const failure = new DataSyncError('UPLOAD_HAS_GAP', {
          ...this.#site,
          from: gap.from,
          to: gap.to - 1,
        });
        throw this.#fail(failure, failure.message);
      }
      const measured = this.#hash.result(stats.size);
      closeSync(this.#fd);
      await this.#finish.complete(measured && { ...measured, mtimeMs: stats.mtimeMs });
      this.#claim.release();
    } catch (error) {
      if (error === this.#failure) throw error;
      const failure = toDataSyncError(storageFailure(error, this.#site), this.#site.action);
      throw this.#fail(failure, failure.message);
    }
  }

  /** The connection ended before CLOSE: the partial file is removed and the upload given up. */
  abandon(reason: string): void {
    if (this.#failure || this.#done) return;
    this.#done = true;
    if (!this.#finish.discardOnAbandon) {
      closeQuietly(this.#fd);
      this.#claim.release();
      return;
    }
    this.#discard();
    this.#giveUp(reason);
  }

  #fail(failure: DataSyncError, reason: string): DataSyncError {
    this.#failure = failure;
    this.#done = true;
    this.#discard();
    this.#giveUp(reason);
    return failure;
  }

  #discard(): void {
    closeQuietly(this.#fd);
    try {
      unlinkSync(this.#filePath);
    } catch {
      // Never created, or already moved on.
    }
    this.#claim.release();
  }

  #giveUp(reason: string): void {
    try {
      this.#finish.giveUp(reason);
    } catch {
      // The state database may be failing for the same reason (a full disk); the start-up after
      // this marks the upload incomplete, so nothing is lost by going on.
    }
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed (the failure came at or after CLOSE).
  }
}
