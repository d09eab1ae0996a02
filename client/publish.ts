import { createHash, type Hash } from 'node:crypto';
import { DataSyncError } from '../oclc/error-catalogue.ts';
import { ClientState } from './client-state.ts';
import { planParts, type PlannedPart } from './plan-parts.ts';
import type { PublishingProfile } from './profile.ts';
import { SftpConnection } from './transport/sftp-connection.ts';

/** Options of `publish`: the profile, the files, the job ID, a dry run, retries and progress events. */
export interface PublishOptions {
  profile: PublishingProfile;
  files: readonly string[];
  jobId: string;
  dryRun?: boolean;
  skipUnreadable?: boolean;
  /** Milliseconds before the first retry; doubled each time (tests shorten it). */
  retryDelayMs?: number;
  events?: PublishEvents;
}

export interface PublishEvents {
  warning?(message: string): void;
  planned?(parts: readonly PlannedPart[]): void;
  partStarted?(part: PlannedPart, index: number): void;
  progress?(part: PlannedPart, bytes: number): void;
  partDone?(part: PlannedPart, outcome: 'uploaded' | 'already-confirmed', attempts: number): void;
  retrying?(part: PlannedPart, attempt: number, reason: string, delayMs: number): void;
}

/** What `publish` did: the job ID, the remote directory, warnings and each part uploaded (records, size, SHA-256). */
export interface PublishResult {
  jobId: string;
  remoteDirectory: string;
  dryRun: boolean;
  warnings: string[];
  parts: {
    name: string;
    type: 'new' | 'delete';
    records: number;
    size: number;
    sha256: string;
    outcome: 'planned' | 'uploaded' | 'already-confirmed';
    attempts: number;
  }[];
}

const RETRYABLE = new Set(['CLIENT_CONNECT_FAILED', 'CLIENT_CONNECTION_LOST']);

/**
 * Publishes like Alma: plan the parts in one streaming pass over the input (ranges of it, or spool
 * files), then upload each with pipelined writes, judging success by the upload result alone.
 * Connection failures are retried with backoff and the part is re-sent whole; a part already
 * confirmed (same name, same bytes) is never sent again.
 */
export async function publish(options: PublishOptions): Promise<PublishResult> {
  const { profile, events = {} } = options;
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    events.warning?.(message);
  };
  // The state is read first: a corrupt one is refused before anything connects or is sent.
  const state = options.dryRun ? undefined : new ClientState(profile.stateDir);
  // Connect while the input is read: the handshake and login overlap the strict read pass, which
  // must end before a byte is sent. An unreadable input gives the attempt up; a failed attempt is
  // the first attempt of the first part to upload (retried as any other).
  const giveUp = new AbortController();
  let early: Promise<SftpConnection> | undefined = options.dryRun
    ? undefined
    : connect(profile, giveUp.signal);
  early?.catch(() => undefined);
  const dropEarly = async (): Promise<void> => {
    if (!early) return;
    giveUp.abort();
    const connection = await early.catch(() => undefined);
    early = undefined;
    await connection?.[Symbol.asyncDispose]().catch(() => undefined);
  };
  let connection: SftpConnection | undefined;
  // Whatever ends the publish (a refused input or name, an event handler that throws, the end of
  // the parts) ends the early connection too.
  try {
    using plan = await planParts(options.files, {
      skipUnreadable: options.skipUnreadable ?? false,
      onSkip: warn,
      collectionId: profile.collectionId,
      encodedSymbol: profile.encodedSymbol,
      symbol: profile.symbol,
      label: profile.label,
      jobId: options.jobId,
      kind: profile.kind,
      maxFileSize: profile.limits.maxFileSize,
      maxRecordsPerFile: profile.limits.maxRecordsPerFile,
    });
    plan.warnings.forEach(warn);
    events.planned?.(plan.parts);
    const remoteDirectory = profile.sftp.subDirectory;
    const result: PublishResult = {
      jobId: options.jobId,
      remoteDirectory,
      dryRun: Boolean(options.dryRun),
      warnings,
      parts: [],
    };
    const summary = (
      part: PlannedPart,
      sha256: string,
      outcome: PublishResult['parts'][number]['outcome'],
      attempts: number,
    ) => ({
      name: part.name,
      type: part.type,
      records: part.records,
      size: part.size,
      sha256,
      outcome,
      attempts,
    });
    if (!state) {
      // A dry run: nothing is sent, so the state is neither read nor written.
      for (const part of plan.parts) result.parts.push(summary(part, await sha256Of(part), 'planned', 0));
      return result;
    }
    for (const [index, part] of plan.parts.entries()) {
      events.partStarted?.(part, index);
      // A part's hash is known from planning (spooled parts), taken while it is sent, or read
      // first when an earlier run published a part of that name (resuming with --job-id).
      let sha256 = part.sha256 ?? (state.hasPublished(part.name) ? await sha256Of(part) : undefined);
      if (sha256 !== undefined && state.isConfirmed(part.name, sha256)) {
        events.partDone?.(part, 'already-confirmed', 0);
        result.parts.push(summary(part, sha256, 'already-confirmed', 0));
        continue;
      }
      let attempts = 0;
      let lostAtClose = false;
      for (;;) {
        attempts++;
        try {
          if (!connection) {
            const pending = early ?? connect(profile);
            early = undefined;
            connection = await pending;
            // A link made while reading and dropped since (a server's idle timeout during a long
            // read) is not a failed attempt: connect again at once.
            if (!connection.open) {
              await connection[Symbol.asyncDispose]().catch(() => undefined);
              connection = await connect(profile);
            }
          }
          // Re-sending a part whose CLOSE was applied would publish it twice.
          if (lostAtClose && (await connection.landed(`${remoteDirectory}/${part.name}`, part.size))) break;
          const hash = createHash('sha256');
          await connection.upload(
            `${remoteDirectory}/${part.name}`,
            hashing(part.bytes.blocks(), hash, (digest) => (sha256 ??= digest)),
            (bytes) => events.progress?.(part, bytes),
          );
          break;
        } catch (error) {
          await connection?.[Symbol.asyncDispose]().catch(() => undefined);
          connection = undefined;
          const code = error instanceof DataSyncError ? error.code : '';
          lostAtClose =
            error instanceof DataSyncError &&
            String(error.params['action'] ?? '').startsWith('finish upload');
          if (!RETRYABLE.has(code) || attempts > profile.sftp.retries) throw error;
          const delay = Math.min(30_000, (options.retryDelayMs ?? 500) * 2 ** (attempts - 1));
          events.retrying?.(part, attempts, error instanceof Error ? error.message : String(error), delay);
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
      if (sha256 === undefined) sha256 = await sha256Of(part);
      state.confirm({
        name: part.name,
        collectionId: profile.collectionId,
        kind: profile.kind,
        jobId: options.jobId,
        sha256,
        size: part.size,
        records: part.records,
        uploadedAt: new Date().toISOString(),
      });
      events.partDone?.(part, 'uploaded', attempts);
      result.parts.push(summary(part, sha256, 'uploaded', attempts));
    }
    return result;
  } finally {
    await dropEarly();
    await connection?.[Symbol.asyncDispose]().catch(() => undefined);
  }
}

async function sha256Of(part: PlannedPart): Promise<string> {
  return part.sha256 ?? (await part.bytes.sha256());
}

/** Passes the blocks on, hashing them; `done` gets the digest once the last block has passed. */
async function* hashing(
  blocks: AsyncIterable<Buffer>,
  hash: Hash,
  done: (digest: string) => void,
): AsyncGenerator<Buffer> {
  for await (const block of blocks) {
    hash.update(block);
    yield block;
  }
  done(hash.digest('hex'));
}

export function connect(profile: PublishingProfile, signal?: AbortSignal): Promise<SftpConnection> {
  return SftpConnection.connect({
    signal,
    host: profile.sftp.host,
    port: profile.sftp.port,
    user: profile.sftp.user,
    auth: profile.sftp.auth,
    hostKey: profile.sftp.hostKey,
  });
}
