import { createParser } from 'eventsource-parser';

const TOKEN_KEY = 'datasync-sim-admin-token';

export class Unauthorized extends Error {}

/** The admin token for this tab (sessionStorage: asked once, forgotten when the tab closes). */
export const token = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (value: string): void => sessionStorage.setItem(TOKEN_KEY, value),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const t = token.get();
  return t ? { ...extra, authorization: `Bearer ${t}` } : extra;
}

async function answer<T>(res: Response): Promise<T> {
  if (res.status === 401) throw new Unauthorized('the admin token is missing or wrong');
  const body = (await res.json()) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
  return body;
}

export async function get<T>(path: string): Promise<T> {
  return answer<T>(await fetch(path, { headers: headers() }));
}

export async function post<T>(path: string, body: unknown = {}): Promise<T> {
  return answer<T>(
    await fetch(path, {
      method: 'POST',
      headers: headers({ 'content-type': 'application/json' }),
      body: JSON.stringify(body),
    }),
  );
}

export async function put<T>(path: string, bytes: ArrayBuffer): Promise<T> {
  return answer<T>(
    await fetch(path, {
      method: 'PUT',
      headers: headers({ 'content-type': 'application/octet-stream' }),
      body: bytes,
    }),
  );
}

/** A download link cannot carry the token header, so reports are fetched and saved as a blob. */
export async function download(path: string, name: string): Promise<void> {
  const res = await fetch(path, { headers: headers() });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

/**
 * Follows GET /api/events with fetch (EventSource cannot send the token), reconnecting with
 * Last-Event-ID so no event is lost.
 */
/** For requests nothing waits on: the next refresh asks again, so a failure is only logged. */
export function logFailure(error: unknown): void {
  console.warn('datasync-sim dashboard:', error);
}

export function followEvents(onEvent: (event: string, data: unknown) => void): () => void {
  const abort = new AbortController();
  let lastId: string | undefined;
  const parser = createParser({
    onEvent: (m) => {
      if (m.id !== undefined) lastId = m.id;
      onEvent(m.event ?? 'message', JSON.parse(m.data) as unknown);
    },
  });
  (async () => {
    while (!abort.signal.aborted) {
      try {
        const res = await fetch('/api/events', {
          headers: headers(lastId === undefined ? {} : { 'last-event-id': lastId }),
          signal: abort.signal,
        });
        if (res.ok && res.body) {
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            parser.feed(value);
          }
        }
      } catch {
        // Dropped: reconnect below.
      }
      parser.reset();
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })().catch(logFailure);
  return () => abort.abort();
}
