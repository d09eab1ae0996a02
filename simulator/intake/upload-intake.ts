import { createHash, randomBytes } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { DataSyncError, toDataSyncError } from '../../oclc/error-catalogue.ts';
import { easternStamp } from '../../oclc/reports/eastern-time.ts';
import { cutToBytes, NAME_MAX } from '../../oclc/reports/report-name-limit.ts';
import { checkUploadName, describeNameCheck, type NameViolation } from '../../oclc/upload-name.ts';
import type { Clock, Timer } from '../clock/clock.ts';
import type { SimulatorConfig } from '../config/simulator-config.ts';
import type { SimulatorEvents } from '../events/simulator-events.ts';
import type { UploadRecord, UploadStore } from '../storage/upload-store.ts';
import type { Folder, UploadTarget } from '../storage/account-tree.ts';
import { storageFailure, type FailureSite } from '../storage/storage-failure.ts';
import { OpenUpload, type Written } from './open-upload.ts';
import type { Measured } from './write-hash.ts';
import { SpaceGuard, type SpaceUsage } from './space-guard.ts';
import { storageLayout } from '../storage/storage-layout.ts';

export interface UploadContext {
  account: string;
  senderSymbol: string;
  folder: Folder & { upload: UploadTarget };
}

/** What the name rules decided for a final name in this folder. */
export type NameDecision =
  | { accepted: true; collectionId: string | null; routedToDefault: boolean; violations: NameViolation[] }
  | { accepted: false; violations: NameViolation[]; message: string };

/** What OPEN for writing asks of the intake. */
export interface UploadRequest {
  ctx: UploadContext;
  /** The client's path, used in every message. */
  path: string;
  /** Where the file lives in the account tree once complete. */
  realPath: string;
  name: string;
  /** Node's open flags for a file written in place (temporary names). */
  mode: string;
  /** The name rules' decision for a final name; undefined for a temporary name. */
  decision: Extract<NameDecision, { accepted: true }> | undefined;
}

/**
 * How long after pickup a STAT or SETSTAT of the picked-up name still answers for the accepted
 * upload, whichever connection asks: rclone may check from another connection of its pool.
 */
export const PICKED_UP_GRACE_MS = 60_000;

/**
 * What OCLC's server accepts though the rules say otherwise: a name without the free-text part,
 * and a name too long for its reports (processing shortens the report names, D72).
 */
const FAITHFUL_ACCEPTS = new Set(['label-missing', 'too-long']);

/** Violations that make OCLC process the file under the default collection instead of halting. */
const ROUTED_TO_DEFAULT = new Set([
  'collection-id-missing',
  'collection-id-malformed',
  'collection-id-unknown',
  'collection-id-other-folder',
]);

/**
 * The file lifecycle at the SFTP edge: a final-named upload is recorded, completed at CLOSE or
 * RENAME, and after the pickup delay it vanishes from in/ into the processing queue.
 */
export class UploadIntake {
  readonly #store: UploadStore;
  readonly #events: SimulatorEvents;
  readonly #clock: Clock;
  readonly #config: SimulatorConfig;
  readonly #queueDir: string;
  readonly #stagingDir: string;
  readonly #space: SpaceGuard;
  readonly #pending = new Map<number, { timer: Timer | undefined; realPath: string }>();
  /** Temporary-name files whose session ended, waiting out the pickup delay before removal. */
  readonly #leftovers = new Map<string, Timer>();
  /** Temporary-named files closed and hashed as written, awaiting a RENAME (see takeWritten). */
  readonly #written = new Map<string, Written>();
  /** Temporary-named files being written, by real path, with their `temporary` record. */
  readonly #temporaries = new Map<string, number>();
  /** Temporary-named files whose session ended, with their record, until resumed or removed. */
  readonly #abandoned = new Map<string, number>();
  #staged = 0;

  constructor(deps: { store: UploadStore; events: SimulatorEvents; clock: Clock; config: SimulatorConfig }) {
    this.#store = deps.store;
    this.#events = deps.events;
    this.#clock = deps.clock;
    this.#config = deps.config;
    this.#queueDir = storageLayout.queueFolder(deps.config.dataDir);
    this.#stagingDir = stagingDir(storageLayout.stateDir(deps.config));
    mkdirSync(this.#queueDir, { recursive: true });
    mkdirSync(this.#stagingDir, { recursive: true });
    this.#space = new SpaceGuard({
      config: deps.config,
      queuedPaths: (symbol) => this.#store.storedPaths(symbol),
    });
  }

  /** Bytes an institution holds against its quota (statvfs answers and the admin API show it). */
  space(symbol: string): SpaceUsage {
    return this.#space.usage(symbol);
  }

  /**
   * Opens a file for writing. A final name is written to its own staging file and moved into the
   * folder at CLOSE (atomic uploads, as SFTPGo does), so two sessions writing one name never share
   * bytes and a crash never leaves a partial file where clients can see it. The upload record is
   * created only once the file is open.
   */
  open(request: UploadRequest): OpenUpload {
    const { ctx, path, realPath, name, decision } = request;
    const site = { action: 'upload', path };
    if (Buffer.byteLength(name) > NAME_MAX) {
      throw new DataSyncError('NAME_TOO_LONG', { ...site, length: Buffer.byteLength(name), max: NAME_MAX });
    }
    this.#space.checkFree(site);
    const staged = decision !== undefined;
    // A client resuming a temporary file it left behind keeps it.
    this.#leftovers.get(realPath)?.cancel();
    this.#leftovers.delete(realPath);
    const filePath = staged
      ? join(this.#stagingDir, `${++this.#staged}-${randomBytes(4).toString('hex')}`)
      : realPath;
    let fd: number;
    try {
      mkdirSync(dirname(filePath), { recursive: true });
      fd = openSync(filePath, staged ? 'w+' : request.mode);
    } catch (error) {
      throw toDataSyncError(storageFailure(error, site), 'upload');
    }
    // The sending account's institution holds the bytes, whoever the upload is for.
    const claim = this.#space.claim(ctx.senderSymbol, staged ? undefined : realPath);
    let id: number | undefined;
    try {
      if (decision) id = this.begin(ctx, name, decision).id;
    } catch (error) {
      claim.release();
      try {
        unlinkSync(filePath);
      } catch {
        // Nothing to remove.
      }
      throw toDataSyncError(storageFailure(error, site), 'upload');
    }
    return new OpenUpload({
      fd,
      site,
      filePath,
      claim,
      finish: {
        complete: async (written) => {
          if (id !== undefined) await this.#deliver(id, filePath, realPath, site, written);
          else if (written) this.#written.set(realPath, written);
        },
        giveUp: (reason) => {
          if (id !== undefined) this.incomplete(id, reason);
        },
        discardOnAbandon: staged,
      },
    });
  }

  decide(target: UploadTarget, name: string): NameDecision {
    const check = checkUploadName(name, {
      symbols: [target.institution.symbol],
      collectionIds: target.collections.map((c) => c.id),
      defaultCollectionId: target.defaultCollection?.id,
      otherFolders: otherFolders(target),
      extensions: target.kind === 'lhr' ? ['mrc', 'xml'] : ['mrc', 'xml', 'csv', 'nsk'],
    });
    // OCLC's server accepts a name without the free-text part; only strict mode holds to the rule.
    const violations =
      this.#config.fileNames === 'faithful' && !check.ok
        ? check.violations.filter((v) => !FAITHFUL_ACCEPTS.has(v.code))
        : check.ok
          ? []
          : check.violations;
    if (check.ok || violations.length === 0) {
      return {
        accepted: true,
        collectionId: check.parsed.collectionId ?? null,
        routedToDefault: false,
        violations: [],
      };
    }
    if (this.#config.fileNames === 'strict') {
      return { accepted: false, violations: check.violations, message: describeNameCheck(check) };
    }
    // Faithful mode accepts what OCLC's server accepts; the violations decide the file's fate.
    const routed = violations.some((v) => ROUTED_TO_DEFAULT.has(v.code));
    return {
      accepted: true,
      collectionId: routed ? (target.defaultCollection?.id ?? null) : (check.parsed.collectionId ?? null),
      routedToDefault: routed,
      violations,
    };
  }

  /** Records a refusal and returns the error the SFTP layer sends back. */
  /** A file opened under a temporary name, shown as `temporary` until it is renamed or removed. */
  temporary(ctx: UploadContext, name: string, realPath: string): void {
    if (this.#temporaries.has(realPath)) return;
    const earlier = this.#abandoned.get(realPath);
    if (earlier !== undefined) {
      // A client resuming the file it left behind: one record, no longer abandoned.
      this.#abandoned.delete(realPath);
      this.#temporaries.set(realPath, earlier);
      this.#store.update(earlier, { reason: null });
      return;
    }
    const record = this.#store.insert({ ...this.#base(ctx, name), tempName: null, state: 'temporary' });
    this.#temporaries.set(realPath, record.id);
  }

  /** The temporary file was renamed or removed: it is no longer shown. */
  forgetTemporary(realPath: string): void {
    const id = this.#temporaries.get(realPath) ?? this.#abandoned.get(realPath);
    if (id === undefined) return;
    this.#temporaries.delete(realPath);
    this.#abandoned.delete(realPath);
    this.#store.delete(id);
  }

  /** Its session ended without renaming it: it stays in the folder, journalled as abandoned. */
  abandonTemporary(realPath: string): void {
    const id = this.#temporaries.get(realPath);
    if (id === undefined) return;
    this.#temporaries.delete(realPath);
    this.#abandoned.set(realPath, id);
    const record = this.#store.update(id, {
      reason: 'the session ended without renaming this temporary file to a final name',
    });
    this.#events.emit('upload:abandoned', record);
  }

  refuse(
    ctx: UploadContext,
    name: string,
    decision: Extract<NameDecision, { accepted: false }>,
    tempName?: string,
  ): DataSyncError {
    const record = this.#store.insert({
      ...this.#base(ctx, name),
      tempName: tempName ?? null,
      state: 'refused',
      violations: decision.violations,
      reason: decision.message,
    });
    this.#events.emit('upload:refused', record);
    return new DataSyncError('FILE_NAME_REJECTED', { name, explanation: decision.message });
  }

  begin(
    ctx: UploadContext,
    name: string,
    decision: Extract<NameDecision, { accepted: true }>,
    tempName?: string,
  ): UploadRecord {
    const record = this.#store.insert({
      ...this.#base(ctx, name),
      tempName: tempName ?? null,
      state: 'receiving',
      collectionId: decision.collectionId,
      routedToDefault: decision.routedToDefault,
      violations: decision.violations,
      reason: decision.violations.length > 0 ? decision.violations.map((v) => v.reason).join('; ') : null,
    });
    this.#events.emit('upload:started', record);
    return record;
  }

  /**
   * The hash taken while a temporary-named file was written, for its RENAME to a final name;
   * undefined if the file changed since (or was never hashed), and then it is read back instead.
   */
  takeWritten(realPath: string): Measured | undefined {
    const written = this.#written.get(realPath);
    this.#written.delete(realPath);
    if (!written) return undefined;
    const now = statSync(realPath, { throwIfNoEntry: false });
    return now?.size === written.size && now.mtimeMs === written.mtimeMs ? written : undefined;
  }

  /**
   * The upload is complete: measure it (unless the SFTP layer hashed it as it was written), then
   * schedule (or do) the pickup.
   */
  async complete(id: number, realPath: string, measured?: Measured): Promise<UploadRecord> {
    const { size, sha256 } = measured ?? (await measure(realPath));
    const record = this.#store.update(id, { state: 'received', size, sha256, receivedAt: this.#clock.now() });
    this.#events.emit('upload:received', record);
    this.#sameNameRule(record);
    this.#schedulePickup(record, realPath);
    return this.#store.get(id);
  }

  incomplete(id: number, reason = 'the connection ended before the file was closed'): void {
    const record = this.#store.update(id, { state: 'incomplete', reason });
    this.#events.emit('upload:incomplete', record);
  }

  /** A completed upload still visible in in/ (pickup delay not over), by its real path. */
  pendingAt(realPath: string): number | undefined {
    for (const [id, pending] of this.#pending) if (pending.realPath === realPath) return id;
    return undefined;
  }

  /**
   * A session ended leaving a temporary-name file (never renamed to its final name): it is
   * removed after the pickup delay, unless a client opens it again first, and journalled.
   */
  leaveTemporary(realPath: string, who: { account: string; name: string }): void {
    this.#leftovers.get(realPath)?.cancel();
    const remove = (): void => {
      this.#leftovers.delete(realPath);
      this.#abandoned.delete(realPath);
      if (!existsSync(realPath)) return;
      try {
        rmSync(realPath, { force: true });
      } catch {
        return;
      }
      this.#events.emit('storage:removed', {
        ...who,
        reason:
          'a temporary-name file was left behind when its session ended; it was never renamed to a final name',
      });
    };
    if (this.#config.pickupDelayMs === 0) remove();
    else this.#leftovers.set(realPath, this.#clock.setTimer(this.#config.pickupDelayMs, remove));
  }

  /**
   * Why a final name is absent from the upload folder, when our own lifecycle explains it: the
   * file was picked up for processing, or an interrupted upload's partial file was discarded.
   */
  absence(senderSymbol: string, folder: string, name: string): UploadRecord | undefined {
    const record = this.#store.latestNamed(senderSymbol, folder, name);
    if (
      !record ||
      !['queued', 'processing', 'processed', 'failed', 'superseded', 'halted', 'incomplete'].includes(
        record.state,
      )
    )
      return undefined;
    return record;
  }

  /**
   * Picked up so recently that a client still checking its upload (rclone sets the time, paramiko
   * stats it) is answered for the accepted file instead of being told it is gone (D33).
   */
  justPickedUp(record: UploadRecord): boolean {
    if (record.state === 'incomplete' || record.queuedAt === null) return false;
    return this.#clock.now() - record.queuedAt <= PICKED_UP_GRACE_MS;
  }

  /** A client asked for an upload that was picked up: journalled with how it was answered. */
  probed(record: UploadRecord, operation: string, answer: string): void {
    this.#events.emit('upload:probed', { ...record, probedAt: this.#clock.now(), operation, reason: answer });
  }

  /** The client removed a completed upload before pickup: it is never processed. */
  withdraw(id: number): void {
    this.#pending.get(id)?.timer?.cancel();
    this.#pending.delete(id);
    const record = this.#store.update(id, {
      state: 'removed',
      reason: 'removed by the client before pickup',
    });
    this.#events.emit('upload:removed', record);
  }

  /**
   * After a restart: finish what a crash interrupted so nothing accepted is lost, and remove what
   * was not accepted (files of incomplete uploads in the account trees and the queue).
   */
  resume(realPathOf: (record: UploadRecord) => string | undefined): void {
    for (const record of this.#store.list({ state: 'receiving' })) {
      this.incomplete(record.id, 'the simulator stopped before the file was closed');
    }
    for (const record of this.#store.list({ state: 'received' })) {
      const realPath = realPathOf(record);
      if (realPath) this.#schedulePickup(record, realPath);
    }
    for (const record of this.#store.list({ state: 'incomplete' })) {
      const realPath = realPathOf(record);
      if (realPath && this.pendingAt(realPath) === undefined) rmSync(realPath, { force: true });
      if (record.storedPath) rmSync(record.storedPath, { force: true });
    }
  }

  stop(): void {
    for (const pending of this.#pending.values()) pending.timer?.cancel();
    this.#pending.clear();
    for (const timer of this.#leftovers.values()) timer.cancel();
    this.#leftovers.clear();
    this.#abandoned.clear();
  }

  /**
   * A later upload `laterId` is about to take the place of a same-named file still waiting in its
   * folder for pickup: that one is superseded if it came the same (Eastern) day, as OCLC processes
   * only the last file of a name in a day, and picked up now if it came a day before.
   */
  replaceWaiting(realPath: string, laterId: number): void {
    const waiting = existsSync(realPath) ? this.pendingAt(realPath) : undefined;
    if (waiting === undefined) return;
    const earlier = this.#store.get(waiting);
    if (this.#sameDay(earlier.receivedAt, this.#clock.now())) this.#supersede(earlier, laterId);
    else this.#pickup(waiting, realPath);
  }

  /**
   * OCLC's same-name rule, applied when a file is received: earlier files of its name that day
   * still waiting (in the folder or the queue) are superseded; one already processing or processed
   * cannot be taken back, so the later is processed too and `upload:same-name` says OCLC would not
   * have processed both (D71).
   */
  #sameNameRule(later: UploadRecord): void {
    for (const earlier of this.#store.namedBefore(later.targetSymbol, later.name, later.id)) {
      if (!this.#sameDay(earlier.receivedAt, later.receivedAt ?? this.#clock.now())) continue;
      if (earlier.state === 'received' || earlier.state === 'queued') this.#supersede(earlier, later.id);
      if (!['processing', 'processed', 'failed'].includes(earlier.state)) continue;
      const day = easternStamp(later.receivedAt ?? this.#clock.now()).date;
      this.#events.emit('upload:same-name', {
        ...later,
        earlier: { id: earlier.id, name: earlier.name, state: earlier.state, receivedAt: earlier.receivedAt },
        reason:
          `${later.name} arrived again on ${day} (Eastern) as upload ${later.id}, after upload ${earlier.id} of ` +
          `that name was already ${earlier.state}: OCLC would have processed only the later file; the simulator processes both`,
      });
    }
  }

  #sameDay(earlier: number | null, later: number): boolean {
    return earlier !== null && easternStamp(earlier).date === easternStamp(later).date;
  }

  /** Never processed: a later file of its name arrived that day. Its bytes are kept in the queue. */
  #supersede(earlier: UploadRecord, laterId: number): void {
    const pending = this.#pending.get(earlier.id);
    let storedPath = earlier.storedPath;
    if (pending) {
      pending.timer?.cancel();
      this.#pending.delete(earlier.id);
      if (existsSync(pending.realPath)) {
        storedPath = join(this.#queueDir, storedName(earlier));
        mkdirSync(this.#queueDir, { recursive: true });
        renameSync(pending.realPath, storedPath);
      }
    }
    const record = this.#store.update(earlier.id, {
      state: 'superseded',
      storedPath,
      reason: `a file of the same name arrived later that day (upload ${laterId}); only the last one is processed`,
    });
    this.#events.emit('file:superseded', record);
  }

  /** Moves a finished staging file into its folder; a same-named upload waiting there goes first. */
  async #deliver(
    id: number,
    stagedPath: string,
    realPath: string,
    site: FailureSite,
    written: Measured | undefined,
  ): Promise<void> {
    this.replaceWaiting(realPath, id);
    mkdirSync(dirname(realPath), { recursive: true });
    renameSync(stagedPath, realPath);
    try {
      await this.complete(id, realPath, written);
    } catch (error) {
      rmSync(realPath, { force: true });
      throw storageFailure(error, site);
    }
  }

  #schedulePickup(record: UploadRecord, realPath: string): void {
    const elapsed = this.#clock.now() - (record.receivedAt ?? this.#clock.now());
    const delay = Math.max(0, this.#config.pickupDelayMs - elapsed);
    if (delay === 0) {
      this.#pickup(record.id, realPath);
      return;
    }
    const entry = { timer: undefined as Timer | undefined, realPath };
    this.#pending.set(record.id, entry);
    entry.timer = this.#clock.setTimer(delay, () => {
      try {
        this.#pickup(record.id, realPath);
      } catch {
        // A failing disk or database: the upload stays received and is picked up after a restart.
      }
    });
  }

  #pickup(id: number, realPath: string): void {
    this.#pending.delete(id);
    const record = this.#store.get(id);
    const storedPath = join(this.#queueDir, storedName(record));
    // A reset empties the data dir under a running simulator; the queue folder comes back here.
    mkdirSync(this.#queueDir, { recursive: true });
    renameSync(realPath, storedPath);
    const halted =
      record.violations.length > 0 && (!isOnlyRouting(record.violations) || record.collectionId === null);
    const updated = this.#store.update(id, {
      state: halted ? 'halted' : 'queued',
      queuedAt: this.#clock.now(),
      storedPath,
    });
    this.#events.emit(halted ? 'file:halted' : 'file:queued', updated);
  }

  #base(ctx: UploadContext, name: string) {
    return {
      account: ctx.account,
      senderSymbol: ctx.senderSymbol,
      targetSymbol: ctx.folder.upload.institution.symbol,
      folder: ctx.folder.path,
      name,
      kind: ctx.folder.upload.kind,
      startedAt: this.#clock.now(),
    };
  }
}

/** An upload's file name in the queue folder: its id and name, cut to fit NAME_MAX. */
function storedName(record: UploadRecord): string {
  const name = `${record.id}-${record.name}`;
  return cutToBytes(name, NAME_MAX);
}

/** Where final-named uploads are written until CLOSE; emptied at every start. */
export const stagingDir = storageLayout.stagingFolder;

function isOnlyRouting(violations: readonly NameViolation[]): boolean {
  return violations.every((v) => ROUTED_TO_DEFAULT.has(v.code));
}

async function measure(path: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { size: statSync(path).size, sha256: hash.digest('hex') };
}

/** The institution's collections whose files go to the other upload folder, with that folder. */
function otherFolders(target: UploadTarget): Record<string, string> {
  const folders: Record<string, string> = {};
  for (const c of target.institution.collections) {
    if (target.collections.includes(c)) continue;
    folders[c.id] = c.type === 'lhr' || c.type === 'delete-lhr' ? 'metacoll/in/lhr' : 'metacoll/in/bib';
  }
  return folders;
}
