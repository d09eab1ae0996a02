import { closeSync, fstatSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { DataSyncError, toDataSyncError } from '../../oclc/error-catalogue.ts';
import { storageFailure, type FailureSite } from '../storage/storage-failure.ts';
import type { SpaceClaim } from './space-guard.ts';
import { WriteHash, type Measured } from './write-hash.ts';

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
 * One file open for writing through the intake. A write that fails (disk full, quota, I/O error)
 * is answered with a catalogued error, the partial file is removed and the upload is given up;
 * every later request on the handle gets the same answer, and the server goes on serving.
 */
export class OpenUpload {
  readonly #site: FailureSite;
  readonly #filePath: string;
  readonly #claim: SpaceClaim;
  readonly #finish: UploadFinish;
  readonly #hash = new WriteHash();
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
    try {
      const at = append ? this.#extent : offset;
      const end = at + data.length;
      this.#claim.grow(end, this.#site);
      writeSync(this.#fd, data, 0, data.length, append ? null : offset);
      this.#extent = Math.max(this.#extent, end);
      this.#hash.update(at, data);
    } catch (error) {
      throw this.#fail(error);
    }
  }

  async close(): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (this.#done) return;
    this.#done = true;
    try {
      const stats = fstatSync(this.#fd);
      const measured = this.#hash.result(stats.size);
      closeSync(this.#fd);
      await this.#finish.complete(measured && { ...measured, mtimeMs: stats.mtimeMs });
      this.#claim.release();
    } catch (error) {
      throw this.#fail(error);
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

  #fail(error: unknown): DataSyncError {
    const failure = toDataSyncError(storageFailure(error, this.#site), this.#site.action);
    this.#failure = failure;
    this.#done = true;
    this.#discard();
    this.#giveUp(failure.message);
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
