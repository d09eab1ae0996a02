import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseReportName } from '../oclc/reports/parse-report.ts';

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
}

/**
 * What this client has published and fetched, in `<state>/state.json`. Written through a
 * temporary file and rename, so a crash never leaves half a state file.
 */
export class ClientState {
  readonly #file: string;
  #data: StateFile;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.#file = join(dir, 'state.json');
    try {
      this.#data = JSON.parse(readFileSync(this.#file, 'utf8')) as StateFile;
    } catch {
      this.#data = { published: [], fetched: [] };
    }
  }

  get published(): readonly PublishedFile[] {
    return this.#data.published;
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
      return parsed?.collectionId === collectionId && parsed.originalName === fileName;
    });
  }

  markFetched(name: string): void {
    if (!this.#data.fetched.includes(name)) this.#data.fetched.push(name);
    this.#save();
  }

  #save(): void {
    const temp = `${this.#file}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.#data, null, 2)}\n`);
    renameSync(temp, this.#file);
  }
}
