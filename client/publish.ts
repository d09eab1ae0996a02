import { DataSyncError } from '../oclc/error-catalogue.ts';
import { ClientState } from './client-state.ts';
import { planParts, type PlannedPart } from './plan-parts.ts';
import type { PublishingProfile } from './profile.ts';
import { readInputRecords } from './read-input-records.ts';
import { SftpConnection } from './transport/sftp-connection.ts';

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
 * Publishes like Alma: plan the parts, then upload each with pipelined writes, judging success by
 * the upload result alone. Connection failures are retried with backoff and the part is re-sent
 * whole; a part already confirmed (same name, same bytes) is never sent again.
 */
export async function publish(options: PublishOptions): Promise<PublishResult> {
  const { profile, events = {} } = options;
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    events.warning?.(message);
  };
  const { records, format } = await readInputRecords(options.files, {
    skipUnreadable: options.skipUnreadable ?? false,
    onSkip: warn,
  });
  if (records.length === 0)
    throw new DataSyncError('INPUT_UNREADABLE', {
      path: options.files.join(', '),
      reason: 'holds no records to publish',
    });
  const plan = planParts(records, {
    collectionId: profile.collectionId,
    encodedSymbol: profile.encodedSymbol,
    symbol: profile.symbol,
    label: profile.label,
    jobId: options.jobId,
    kind: profile.kind,
    format,
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
    outcome: PublishResult['parts'][number]['outcome'],
    attempts: number,
  ) => ({
    name: part.name,
    type: part.type,
    records: part.records,
    size: part.data.length,
    sha256: part.sha256,
    outcome,
    attempts,
  });
  if (options.dryRun) {
    result.parts = plan.parts.map((p) => summary(p, 'planned', 0));
    return result;
  }
  const state = new ClientState(profile.stateDir);
  let connection: SftpConnection | undefined;
  try {
    for (const [index, part] of plan.parts.entries()) {
      events.partStarted?.(part, index);
      if (state.isConfirmed(part.name, part.sha256)) {
        events.partDone?.(part, 'already-confirmed', 0);
        result.parts.push(summary(part, 'already-confirmed', 0));
        continue;
      }
      let attempts = 0;
      let lostAtClose = false;
      for (;;) {
        attempts++;
        try {
          connection ??= await connect(profile);
          // Re-sending a part whose CLOSE was applied would publish it twice.
          if (lostAtClose && (await connection.landed(`${remoteDirectory}/${part.name}`, part.data.length)))
            break;
          await connection.upload(`${remoteDirectory}/${part.name}`, part.data, (bytes) =>
            events.progress?.(part, bytes),
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
      state.confirm({
        name: part.name,
        collectionId: profile.collectionId,
        kind: profile.kind,
        jobId: options.jobId,
        sha256: part.sha256,
        size: part.data.length,
        records: part.records,
        uploadedAt: new Date().toISOString(),
      });
      events.partDone?.(part, 'uploaded', attempts);
      result.parts.push(summary(part, 'uploaded', attempts));
    }
  } finally {
    await connection?.[Symbol.asyncDispose]().catch(() => undefined);
  }
  return result;
}

export function connect(profile: PublishingProfile): Promise<SftpConnection> {
  return SftpConnection.connect({
    host: profile.sftp.host,
    port: profile.sftp.port,
    user: profile.sftp.user,
    auth: profile.sftp.auth,
    hostKey: profile.sftp.hostKey,
  });
}
