import type { JournalEntryInfo } from '../../admin-contract.ts';

type Data = Record<string, unknown>;
const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** Events said in words; others fall back to their account, subject and message. */
const SAY: Record<string, (d: Data) => string> = {
  'demo:step': (d) => `demo step ${text(d['step'])}: ${text(d['title'])}`,
  'auth:accepted': (d) => `${text(d['account'])} logged in (${text(d['method'])})`,
  'auth:refused': (d) => `login as ${text(d['user'])} refused: ${text(d['reason'])}`,
  'sftp:operation': (d) =>
    `${text(d['operation']).toUpperCase()} ${text(d['path'])}${d['status'] === 'ok' ? '' : `: ${text(d['status'])}`}`,
  'sftp:denied': (d) => `${text(d['operation'])} ${text(d['path'])} denied: ${text(d['message'])}`,
  'simulator:reset': () => 'the simulator was reset',
  'upload:same-name': (d) => text(d['reason']),
};

/** One journal entry as a sentence for the readable journal. */
export function describeEvent(entry: JournalEntryInfo): string {
  const say = SAY[entry.type];
  if (say && entry.data && typeof entry.data === 'object') return say(entry.data as Data);
  return [entry.account, entry.subject, entry.message].filter(Boolean).join(' · ');
}
