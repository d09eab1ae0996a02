import { useState } from 'preact/hooks';
import type { JournalEntryInfo } from '../../admin-contract.ts';
import { formatClock, plural } from '../format.ts';
import { useFiles } from '../hooks/live.tsx';
import { useApi } from '../hooks/use-api.ts';
import { useInstitutions } from '../hooks/use-institutions.ts';
import { definePanel } from '../panel.ts';
import { describeEvent } from '../parts/describe-event.ts';
import { journalLines, stepName, type JournalLine } from '../parts/journal-lines.ts';
import { reasonOf } from '../pipeline-lanes.ts';
import { Link } from '../router.tsx';

/** The type filter's choices: a name people say, and the event families it means. */
const TYPES: Record<string, string> = {
  '': 'Everything',
  'upload:*,file:*': 'Upload stories',
  'auth:*': 'Logins',
  'sftp:*': 'SFTP operations and refusals',
  'fault:*,host-key:*': 'Faults',
  'defender:*': 'Defender bans',
  'demo:*': 'Demo steps',
};

function journalPath(filter: { type: string; account: string; file: string; sftp: boolean }): string {
  const q = new URLSearchParams({ limit: '300' });
  if (filter.type) q.set('type', filter.type);
  if (filter.account) q.set('account', filter.account);
  if (filter.file) q.set('file', filter.file);
  // SFTP operations are a dozen lines per upload: hidden unless asked for.
  if (!filter.sftp && !filter.type.includes('sftp:')) q.set('exclude', 'sftp:operation');
  return `/api/journal?${q.toString()}`;
}

function Journal() {
  const [type, setType] = useState('');
  const [account, setAccount] = useState('');
  const [file, setFile] = useState('');
  const [sftp, setSftp] = useState(false);
  const files = Object.values(useFiles()).sort((a, b) => b.id - a.id);
  const accounts = useInstitutions().flatMap((i) => [i.accounts.current, i.accounts.legacy]);
  const { data } = useApi<{ entries: JournalEntryInfo[] }>(
    journalPath({ type, account, file, sftp }),
    /^(?!processing:progress$)/,
  );
  const lines = journalLines([...(data?.entries ?? [])].reverse());
  return (
    <>
      <form class="row filters" onSubmit={(e) => e.preventDefault()} aria-label="Journal filters">
        <label for="journal-type">Type</label>
        <select id="journal-type" value={type} onChange={(e) => setType(e.currentTarget.value)}>
          {Object.entries(TYPES).map(([value, label]) => (
            <option value={value} key={value}>
              {label}
            </option>
          ))}
        </select>
        <label for="journal-account">Account</label>
        <select id="journal-account" value={account} onChange={(e) => setAccount(e.currentTarget.value)}>
          <option value="">All accounts</option>
          {accounts.map((a) => (
            <option value={a} key={a}>
              {a}
            </option>
          ))}
        </select>
        <label for="journal-file">File</label>
        <select id="journal-file" value={file} onChange={(e) => setFile(e.currentTarget.value)}>
          <option value="">All files</option>
          {files.map((f) => (
            <option value={String(f.id)} key={f.id}>
              {f.id}: {f.name}
            </option>
          ))}
        </select>
        <label class="check">
          <input type="checkbox" checked={sftp} onChange={(e) => setSftp(e.currentTarget.checked)} /> Show
          SFTP operations
        </label>
      </form>
      {lines.length === 0 ? (
        <p>Nothing yet.</p>
      ) : (
        <ol class="journal" reversed data-testid="journal">
          {lines.map((line) => (
            <JournalItem line={line} key={line.key} />
          ))}
        </ol>
      )}
    </>
  );
}

function JournalItem({ line }: { line: JournalLine }) {
  if (line.kind === 'story') {
    const f = line.file;
    const reason = reasonOf(f);
    return (
      <li class={`story state-${f.state}`} data-testid="journal-story" data-file-id={line.fileId}>
        <time>{formatClock(line.at)}</time> <Link to={`/files/${line.fileId}`}>{f.name}</Link> from{' '}
        {f.account}: {line.steps.map((s) => stepName(s.type)).join(' → ')}
        {f.summary && ` (${plural(f.summary.records, 'record')})`}
        {reason && ['refused', 'failed', 'halted', 'incomplete'].includes(f.state) && (
          <span class="card-reason"> {reason}</span>
        )}
      </li>
    );
  }
  const e = line.entry;
  return (
    <li class="event" data-testid="journal-event" data-type={e.type}>
      <time>{formatClock(e.at)}</time> <code>{e.type}</code> {describeEvent(e)}
    </li>
  );
}

export default definePanel({
  page: 'board',
  id: 'journal',
  title: 'Journal',
  order: 30,
  width: 'half',
  Component: Journal,
});
