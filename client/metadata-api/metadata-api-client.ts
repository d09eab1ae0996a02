import { DataSyncError } from '../../oclc/error-catalogue.ts';

/** Options of `MetadataApiClient`: the base URLs and the WSKey (key and secret). */
export interface MetadataApiClientOptions {
  /** The API's base, OCLC's https://metadata.api.oclc.org/worldcat or the simulator's http://HOST:PORT/worldcat. */
  baseUrl: string;
  /** The token endpoint, OCLC's https://oauth.oclc.org/token or the simulator's http://HOST:PORT/oauth/token. */
  tokenUrl: string;
  key: string;
  secret: string;
  /** Scopes asked for; OCLC's umbrella scope by default. */
  scope?: string;
}

/** What OCLC's token endpoint answers for client credentials. */
export interface MetadataApiToken {
  access_token: string;
  token_type: string;
  expires_in: number;
  /** `YYYY-MM-DD HH:MM:SSZ`, UTC. */
  expires_at: string;
  scopes?: string;
  [field: string]: unknown;
}

/** One answer: the HTTP status and the body (JSON parsed; MARC as text). */
export interface MetadataApiAnswer<T = unknown> {
  status: number;
  body: T;
  /** Seconds the server asked to wait (429's Retry-After). */
  retryAfter?: number;
}

/** OCLC's answer to set and unset. */
export interface HoldingAnswer {
  controlNumber: string;
  requestedControlNumber: string;
  institutionSymbol: string;
  success: boolean;
  message: string;
  action: string;
  [field: string]: unknown;
}

export interface CurrentHolding {
  requestedControlNumber: string;
  currentControlNumber: string | null;
  institutionSymbol: string;
  holdingSet: boolean;
}

export type MarcMediaType = 'application/marcxml+xml' | 'application/marc';

/**
 * A small WorldCat Metadata API 2.0 client speaking HTTP as OCLC documents it: client-credentials
 * tokens (asked again once when an answer is 401), holdings set/unset/current, bib match and
 * validate. It works against OCLC or the simulator alike; only the two URLs differ.
 */
export class MetadataApiClient {
  readonly #options: MetadataApiClientOptions;
  #token: string | undefined;

  constructor(options: MetadataApiClientOptions) {
    this.#options = { ...options, baseUrl: options.baseUrl.replace(/\/+$/, '') };
  }

  /** Asks the token endpoint for a new token (HTTP Basic, grant_type=client_credentials). */
  async token(): Promise<MetadataApiToken> {
    const { tokenUrl, key, secret, scope } = this.#options;
    const res = await this.#fetch(tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: scope ?? 'WorldCatMetadataAPI',
      }).toString(),
    });
    const body = await readBody(res);
    if (res.status !== 200 || typeof (body as MetadataApiToken | undefined)?.access_token !== 'string') {
      const reason = typeof body === 'string' ? body : JSON.stringify(body);
      throw new DataSyncError('API_TOKEN_REFUSED', { url: tokenUrl, status: String(res.status), reason });
    }
    const token = body as MetadataApiToken;
    this.#token = token.access_token;
    return token;
  }

  set(ocn: string): Promise<MetadataApiAnswer<HoldingAnswer>> {
    return this.call('POST', `/manage/institution/holdings/${encodeURIComponent(ocn)}/set`);
  }

  unset(ocn: string, options: { cascadeDelete?: boolean } = {}): Promise<MetadataApiAnswer<HoldingAnswer>> {
    const query = options.cascadeDelete === false ? '?cascadeDelete=false' : '';
    return this.call('POST', `/manage/institution/holdings/${encodeURIComponent(ocn)}/unset${query}`);
  }

  /** Holdings status of up to ten OCNs (OCLC's limit per call). */
  current(ocns: readonly string[]): Promise<MetadataApiAnswer<{ holdings?: CurrentHolding[] }>> {
    return this.call(
      'GET',
      `/manage/institution/holdings/current?oclcNumbers=${ocns.map(encodeURIComponent).join(',')}`,
    );
  }

  match(record: Buffer | string, mediaType: MarcMediaType): Promise<MetadataApiAnswer> {
    return this.call('POST', '/manage/bibs/match', { body: record, mediaType });
  }

  validate(
    record: Buffer | string,
    mediaType: MarcMediaType,
    level: 'validateFull' | 'validateAdd' | 'validateReplace' = 'validateFull',
  ): Promise<MetadataApiAnswer> {
    return this.call('POST', `/manage/bibs/validate/${level}`, { body: record, mediaType });
  }

  /** Any call under the base URL; a 401 gets a new token and one more try. */
  async call<T = unknown>(
    method: string,
    path: string,
    content?: { body: Buffer | string; mediaType: string },
  ): Promise<MetadataApiAnswer<T>> {
    let res = await this.#send(method, path, content);
    if (res.status === 401) {
      await this.token();
      res = await this.#send(method, path, content);
    }
    const retryAfter = Number(res.headers.get('retry-after') ?? Number.NaN);
    return {
      status: res.status,
      body: (await readBody(res)) as T,
      ...(Number.isFinite(retryAfter) ? { retryAfter } : {}),
    };
  }

  async #send(
    method: string,
    path: string,
    content: { body: Buffer | string; mediaType: string } | undefined,
  ): Promise<Response> {
    if (this.#token === undefined) await this.token();
    return this.#fetch(`${this.#options.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.#token ?? ''}`,
        accept: 'application/json',
        ...(content ? { 'content-type': content.mediaType } : {}),
      },
      ...(content ? { body: content.body } : {}),
    });
  }

  async #fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, init);
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      throw new DataSyncError(
        'CLIENT_CONNECT_FAILED',
        {
          address: new URL(url).host,
          reason: cause ?? (error instanceof Error ? error.message : String(error)),
        },
        { cause: error },
      );
    }
  }
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!(res.headers.get('content-type') ?? '').includes('json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
