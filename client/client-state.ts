import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { DataSyncError } from '../oclc/error-catalogue.ts';
import { onUserPath } from '../oclc/file-system-error.ts';
import { join } from 'node:path';
import { parseReportName } from '../oclc/reports/parse-report.ts';
import { reportedNameMatches } from '../oclc/reports/report-name-limit.ts';

export interface PublishedFile {
  name: string;
  collectionId: string;
  kind: 'bib' | 'lhr';
  jobId: string;
  sha256: string;
  size: number;
  records: number;
  uploadedAt: string;
}

interface StateFile {
  published: PublishedFile[];
  fetched: string[];
  /** Output files downloaded whole, by their delivered name (without `.zip`). */
  fetchedOutput?: string[];
}

/**
 * What this client has published and fetched, in `<state>/state.json`. Written through a
 * temporary file and rename, so a crash never leaves half a state file.
 */
export class ClientState {
  readonly #file: string;
  #data: StateFile;

  constructor(dir: string) {
    onUserPath({ path: dir, use: 'write', what: 'client state folder (state: in the profile)' }, () =>
      mkdirSync(dir, { recursive: true }),
    );
    this.#file = join(dir, 'state.json');
    this.#data = existsSync(this.#file) ? readState(this.#file) : { published: [], fetched: [] };
  }

  get published(): readonly PublishedFile[] {
    return this.#data.published;
  }

  /** Whether any part of this name was published before (with whatever bytes). */
  hasPublished(name: string): boolean {
    return this.#data.published.some((p) => p.name === name);
  }

  isConfirmed(name: string, sha256: string): boolean {
    return this.#data.published.some((p) => p.name === name && p.sha256 === sha256);
  }

  confirm(file: PublishedFile): void {
    this.#data.published.push(file);
    this.#save();
  }

  wasFetched(name: string): boolean {
    return this.#data.fetched.includes(name);
  }

  /** Reports fetched so far for one published file (reruns included). */
  fetchedFor(collectionId: string, fileName: string): string[] {
    return this.#data.fetched.filter((name) => {
      const parsed = parseReportName(name);
      return (
        parsed?.collectionId === collectionId &&
        reportedNameMatches(parsed.originalName, fileName, parsed.sender, parsed.symbol)
      );
    });
  }

  markFetched(name: string): void {
    if (!this.#data.fetched.includes(name)) this.#data.fetched.push(name);
    this.#save();
  }

  /** Whether this output file (by its delivered name; its `.zip` is the same file) came whole. */
  hasOutput(name: string): boolean {
    return (this.#data.fetchedOutput ?? []).includes(name);
  }

  markOutput(name: string): void {
    const list = (this.#data.fetchedOutput ??= []);
    if (!list.includes(name)) list.push(name);
    this.#save();
  }

  #save(): void {
    const temp = `${this.#file}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.#data, null, 2)}\n`);
    renameSync(temp, this.#file);
  }
}

/**
 * A state file that cannot be read is refused, not taken as empty: an empty state would upload
 * every part already confirmed again, and OCLC would process them twice.
 */
function readState(file: string): StateFile {
  const refuse = (why: string): DataSyncError =>
    new DataSyncError('INPUT_UNREADABLE', {
      path: file,
      reason:
        `${why}. It records the parts already uploaded; restore it from a backup or fix it by hand ` +
        '(moving it away makes the client upload every part again)',
    });
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw refuse(`it is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const shape = data as Partial<StateFile> | null;
  if (!shape || !Array.isArray(shape.published) || !Array.isArray(shape.fetched))
    throw refuse('it lacks the "published" and "fetched" lists');
  return shape as StateFile;
}
