/** `serve --log-format`: one line of text or one JSON object per event. */
export type LogFormat = 'text' | 'json';

/** Never logged, whatever an event carries: the log may be shared or shipped. */
const SECRET = /password|passphrase|token|secret|private.?key|authorization/i;

/**
 * One log line for one simulator event: text for people (time, event, what it was about) or a
 * JSON object for machines (time, event and the payload, secrets removed).
 */
export function eventLogLine(format: LogFormat, at: number, event: string, payload: unknown): string {
  const time = new Date(at).toISOString();
  const data = redact(payload);
  if (format === 'json') {
    const fields = data !== null && typeof data === 'object' && !Array.isArray(data) ? data : { data };
    return JSON.stringify({ time, event, ...fields });
  }
  return `${time} ${event} ${describe(data)}`.trimEnd();
}

function describe(data: unknown): string {
  if (data === null || typeof data !== 'object') return data === undefined ? '' : String(data);
  const p = data as Record<string, unknown>;
  if (typeof p['id'] === 'number' && typeof p['name'] === 'string' && typeof p['state'] === 'string') {
    return describeFile(p);
  }
  return Object.entries(p)
    .filter(([, value]) => value === null || typeof value !== 'object')
    .map(
      ([key, value]) =>
        `${key}=${typeof value === 'string' && /\s/.test(value) ? JSON.stringify(value) : String(value)}`,
    )
    .join(' ');
}

function describeFile(p: Record<string, unknown>): string {
  const parts = [`#${String(p['id'])}`, String(p['account'] ?? ''), JSON.stringify(p['name'])];
  if (typeof p['size'] === 'number') parts.push(`${p['size']} bytes`);
  const summary = p['summary'] as { records?: number; actions?: Record<string, number> } | null | undefined;
  if (summary && typeof summary.records === 'number') {
    const actions = Object.entries(summary.actions ?? {})
      .map(([action, n]) => `${action} ${n}`)
      .join(', ');
    parts.push(`${summary.records} records${actions ? ` (${actions})` : ''}`);
  }
  const line = parts.filter(Boolean).join(' ');
  return typeof p['reason'] === 'string' && p['reason'] ? `${line}: ${p['reason']}` : line;
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !SECRET.test(key))
      .map(([key, v]) => [key, redact(v)]),
  );
}
