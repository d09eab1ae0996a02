import type { JournalEntry } from './journal-entry.ts';

/** One operation as verify and the journal filters see it: SFTP requests, logins, processing runs. */
export interface OperationEntry {
  id: number;
  at: number;
  operation: string;
  path: string;
  /** A rename's old path. */
  from?: string;
  account: string | null;
  /** `ok`, or a status in fault-rule spelling (`permission-denied`, `failure`, ...). */
  status: string;
  message?: string;
  bytes?: number;
  session?: number;
  address?: string;
  durationMs?: number;
  fault?: string;
  /** An api call's HTTP method. */
  method?: string;
}

/** Journal entry types that hold operations, and the operation each stands for. */
export const OPERATION_TYPES: Readonly<Record<string, string | undefined>> = {
  'sftp:operation': undefined,
  'auth:accepted': 'login',
  'auth:refused': 'login',
  'file:processed': 'processing',
  'file:failed': 'processing',
  'api:call': 'api',
  'upload:same-name': 'same-name',
};

export function toOperationEntry(entry: JournalEntry): OperationEntry | undefined {
  if (!(entry.type in OPERATION_TYPES)) return undefined;
  const data = (entry.data ?? {}) as Record<string, unknown>;
  const text = (key: string): string | undefined =>
    typeof data[key] === 'string' ? (data[key] as string) : undefined;
  if (entry.type === 'sftp:operation') {
    return {
      id: entry.id,
      at: entry.at,
      operation: text('operation') ?? '',
      path: text('path') ?? '',
      ...(text('from') !== undefined ? { from: text('from') } : {}),
      account: entry.account,
      status: text('status') ?? 'ok',
      ...(text('message') !== undefined ? { message: text('message') } : {}),
      bytes: Number(data['bytes'] ?? 0),
      session: Number(data['session'] ?? 0),
      address: text('address') ?? '',
      durationMs: Number(data['durationMs'] ?? 0),
      ...(text('fault') !== undefined ? { fault: text('fault') } : {}),
    };
  }
  if (entry.type === 'api:call') {
    return {
      id: entry.id,
      at: entry.at,
      operation: 'api',
      path: text('path') ?? '',
      account: entry.account,
      // The HTTP status, as text like every status here: "200", "429".
      status: String(data['status'] ?? ''),
      ...(text('method') !== undefined ? { method: text('method') } : {}),
      durationMs: Number(data['durationMs'] ?? 0),
      ...(text('fault') !== undefined ? { fault: text('fault') } : {}),
    };
  }
  if (entry.type.startsWith('auth:')) {
    const refused = entry.type === 'auth:refused';
    return {
      id: entry.id,
      at: entry.at,
      operation: 'login',
      path: '',
      account: entry.account,
      status: refused ? 'permission-denied' : 'ok',
      ...(refused && entry.message ? { message: entry.message } : {}),
    };
  }
  const failed = entry.type === 'file:failed';
  return {
    id: entry.id,
    at: entry.at,
    operation: OPERATION_TYPES[entry.type] ?? 'processing',
    path: entry.subject ?? '',
    account: entry.account,
    status: failed ? 'failure' : 'ok',
    ...((failed || entry.type === 'upload:same-name') && entry.message ? { message: entry.message } : {}),
  };
}
