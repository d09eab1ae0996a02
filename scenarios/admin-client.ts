import { DataSyncError } from '../oclc/error-catalogue.ts';

export interface HealthInfo {
  sftp: { host: string; port: number; hostKeyFingerprint: string };
  fileNames: string;
  processing: { mode: string; delayMs?: number };
  clock: string;
  pickupDelayMs: number;
  institutions: { symbol: string; accounts: string[] }[];
}

export interface FileInfo {
  id: number;
  name: string;
  state: string;
  account: string;
  collectionId: string | null;
  reason: string | null;
}

export interface LhrInfo {
  ocn: string;
  lsn: string;
  holdingLibrary: string;
  callNumber: string;
  barcodes: string[];
}

/** A typed client for the admin API: what scenarios (and container users) drive a simulator with. */
export class AdminClient {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
  }

  health(): Promise<HealthInfo> {
    return this.#get('/api/health');
  }

  async files(): Promise<FileInfo[]> {
    return (await this.#get<{ files: FileInfo[] }>('/api/files')).files;
  }

  async holdings(symbol: string): Promise<string[]> {
    return (await this.#get<{ ocns: string[] }>(`/api/institutions/${encodeURIComponent(symbol)}/holdings`))
      .ocns;
  }

  async lhrs(symbol: string, ocn?: string): Promise<LhrInfo[]> {
    const query = ocn ? `?ocn=${encodeURIComponent(ocn)}` : '';
    return (
      await this.#get<{ lhrs: LhrInfo[] }>(`/api/institutions/${encodeURIComponent(symbol)}/lhrs${query}`)
    ).lhrs;
  }

  async journal(
    limit = 20,
  ): Promise<{ type: string; account: string | null; subject: string | null; message: string | null }[]> {
    return (
      await this.#get<{
        entries: { type: string; account: string | null; subject: string | null; message: string | null }[];
      }>(`/api/journal?limit=${limit}`)
    ).entries;
  }

  async processNow(): Promise<FileInfo[]> {
    return (await this.#post<{ processed: FileInfo[] }>('/api/processing/run')).processed;
  }

  async advanceClock(by: string): Promise<void> {
    await this.#post('/api/clock/advance', { by });
  }

  async reset(): Promise<void> {
    await this.#post('/api/reset');
  }

  #get<T>(path: string): Promise<T> {
    return this.#request<T>(path, { method: 'GET' });
  }

  #post<T>(path: string, body?: unknown): Promise<T> {
    return this.#request<T>(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
  }

  async #request<T>(path: string, init: RequestInit): Promise<T> {
    let res: Response | undefined;
    // One retry: a kept-alive connection to a simulator that just restarted fails once.
    for (let attempt = 1; !res; attempt++) {
      try {
        res = await fetch(`${this.baseUrl}${path}`, init);
      } catch (error) {
        if (attempt >= 2) {
          throw new DataSyncError('CLIENT_CONNECT_FAILED', {
            address: this.baseUrl,
            reason: error instanceof Error ? error.message : String(error),
          });
        }
      }
    }
    const body = (await res.json()) as T & { error?: { message: string } };
    if (!res.ok)
      throw new Error(
        `${init.method ?? 'GET'} ${path} answered ${res.status}: ${body.error?.message ?? JSON.stringify(body)}`,
      );
    return body;
  }
}
