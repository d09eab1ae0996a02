import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseOutputFileName, type ParsedOutputName } from '../../oclc/datasync/output-name.ts';
import { OUTPUT_FOLDER } from '../../oclc/datasync/output-settings.ts';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import { onUserPath, onUserPathAsync } from '../../oclc/file-system-error.ts';
import { ClientState } from '../client-state.ts';
import type { PublishingProfile } from '../profile.ts';
import { connect } from '../publish.ts';
import type { RemoteEntry, SftpConnection } from '../transport/sftp-connection.ts';
import { unzipOutputFile } from './unzip-output-file.ts';

/** One output file brought home whole. */
export interface FetchedOutputFile {
  /** The name OCLC delivered it under (without `.zip`), as saved in the folder. */
  name: string;
  kind: ParsedOutputName['kind'];
  /** Where it was on the server (`.zip` when it had been zipped by then). */
  remotePath: string;
  /** Bytes transferred for it in this run (less than its size when a download resumed). */
  bytes: number;
  /** Bytes of an earlier, interrupted download this run went on from; 0 when it started afresh. */
  resumedFrom: number;
  unzipped: boolean;
}

export interface OutputFetchResult {
  downloaded: FetchedOutputFile[];
  /** Output files listed on the server that an earlier run fetched already. */
  fetchedBefore: number;
  /** Attempts that lost the connection and were resumed. */
  retries: number;
}

export interface OutputFetchOptions {
  profile: PublishingProfile;
  outDir: string;
  /** Every collection's files of the institution; by default only the profile's collection. */
  allCollections?: boolean;
  /** First wait after a lost connection; doubling (0.5 s by default, as publish). */
  retryDelayMs?: number;
  onFile?: (file: FetchedOutputFile) => void;
  onRetry?: (attempt: number, reason: string, delayMs: number) => void;
}

const OUT_DIR = 'metacoll/out/ongoing';
const RETRYABLE = new Set(['CLIENT_CONNECT_FAILED', 'CLIENT_CONNECTION_LOST']);

/**
 * Downloads the record output files OCLC delivered (`out/ongoing/{new,updates,deletes}`) that
 * this client has not fetched before. Each is written to `<name>.part` as it arrives; a lost
 * connection is retried (the profile's `sftp.retries`) and an interrupted run resumes from the
 * bytes on disk. A zipped file is unpacked; the local state records each file once it is whole,
 * so it is never fetched again, even after it was zipped or moved out of the folder.
 */
export async function fetchOutput(options: OutputFetchOptions): Promise<OutputFetchResult> {
  const { profile } = options;
  const state = new ClientState(profile.stateDir);
  onUserPath({ path: options.outDir, use: 'write', what: 'output files folder' }, () =>
    mkdirSync(options.outDir, { recursive: true }),
  );
  const result: OutputFetchResult = { downloaded: [], fetchedBefore: 0, retries: 0 };
  for (let attempt = 1; ; attempt++) {
    try {
      await using connection = await connect(profile);
      const listed = await listOutput(connection, profile, options.allCollections ?? false);
      result.fetchedBefore = listed.filter((f) => state.hasOutput(f.name)).length;
      for (const file of listed) {
        if (state.hasOutput(file.name)) continue;
        const fetched = await fetchOne(connection, file, options.outDir);
        state.markOutput(file.name);
        result.downloaded.push(fetched);
        options.onFile?.(fetched);
      }
      return result;
    } catch (error) {
      const code = error instanceof DataSyncError ? error.code : '';
      if (!RETRYABLE.has(code) || attempt > profile.sftp.retries) throw error;
      const delay = Math.min(30_000, (options.retryDelayMs ?? 500) * 2 ** (attempt - 1));
      result.retries++;
      options.onRetry?.(attempt, error instanceof Error ? error.message : String(error), delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

interface ListedFile {
  name: string;
  parsed: ParsedOutputName;
  remotePath: string;
  entry: RemoteEntry;
}

/** The institution's output files (its collection's, unless all), oldest delivery first. */
async function listOutput(
  connection: SftpConnection,
  profile: PublishingProfile,
  allCollections: boolean,
): Promise<ListedFile[]> {
  const byName = new Map<string, ListedFile>();
  for (const folder of new Set(Object.values(OUTPUT_FOLDER))) {
    for (const entry of await connection.list(`${OUT_DIR}/${folder}`)) {
      const parsed = parseOutputFileName(entry.name);
      if (
        !parsed ||
        parsed.symbol !== profile.encodedSymbol.toUpperCase() ||
        (!allCollections && parsed.collectionId !== profile.collectionId)
      )
        continue;
      const name = parsed.zipped ? entry.name.slice(0, -'.zip'.length) : entry.name;
      // Caught while being zipped, a file is listed both ways: the unzipped one is the simpler.
      if (byName.has(name) && parsed.zipped) continue;
      byName.set(name, { name, parsed, remotePath: `${OUT_DIR}/${folder}/${entry.name}`, entry });
    }
  }
  const order = (f: ListedFile): string => `${f.parsed.date}${f.parsed.time}`;
  return [...byName.values()].sort(
    (a, b) => order(a).localeCompare(order(b)) || a.name.localeCompare(b.name),
  );
}

async function fetchOne(
  connection: SftpConnection,
  file: ListedFile,
  outDir: string,
): Promise<FetchedOutputFile> {
  const remoteName = file.remotePath.slice(file.remotePath.lastIndexOf('/') + 1);
  const part = join(outDir, `${remoteName}.part`);
  const target = join(outDir, file.name);
  const what = { path: part, use: 'write', what: 'output files folder' } as const;
  const onDisk = existsSync(part) ? statSync(part).size : 0;
  // More bytes than the server has: not a prefix of this file; start again.
  const resumedFrom = onDisk <= file.entry.size ? onDisk : 0;
  if (resumedFrom < file.entry.size || file.entry.size === 0)
    await onUserPathAsync(what, () => connection.downloadTo(file.remotePath, part, resumedFrom));
  if (file.parsed.zipped) {
    await unzipOutputFile(part, file.name, target);
    rmSync(part, { force: true });
    // An unzipped download of the same file cut short before it was zipped is of no use now.
    rmSync(join(outDir, `${file.name}.part`), { force: true });
  } else onUserPath(what, () => renameSync(part, target));
  return {
    name: file.name,
    kind: file.parsed.kind,
    remotePath: `/xfer/${file.remotePath}`,
    bytes: file.entry.size - resumedFrom,
    resumedFrom,
    unzipped: file.parsed.zipped,
  };
}
