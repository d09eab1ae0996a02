import { useRef } from 'preact/hooks';
import type { FileInfo } from '../../admin-contract.ts';
import { formatBytes, plural } from '../format.ts';
import { useFiles, useProgress, type Progress } from '../hooks/live.tsx';
import { useCardMotion } from '../hooks/use-card-motion.ts';
import { definePanel } from '../panel.ts';
import { LANE_HELP, LANES, laneOf, reasonOf, STATE_NOTES, type Lane } from '../pipeline-lanes.ts';
import { Link } from '../router.tsx';

/** Cards per list before "and N older"; a room cannot read more. */
const SHOWN = 12;

function Pipeline() {
  const files = Object.values(useFiles()).sort((a, b) => b.id - a.id);
  const progress = useProgress();
  const board = useRef<HTMLDivElement>(null);
  useCardMotion(board, '[data-testid="file-row"]');
  const byLane = new Map<Lane, FileInfo[]>(LANES.map((lane) => [lane, []]));
  for (const file of files) byLane.get(laneOf(file.state))?.push(file);
  return (
    <div class="lanes" ref={board}>
      {LANES.map((lane) => {
        const cards = byLane.get(lane) ?? [];
        if (lane === 'Set aside' && cards.length === 0) return null;
        const id = `lane-${lane.replace(/\W+/g, '-').toLowerCase()}`;
        return (
          <div class={`lane ${id}`} key={lane}>
            <h3 id={id}>
              {lane} <span class="count">{cards.length}</span>
            </h3>
            <p class="lane-help">{LANE_HELP[lane]}</p>
            <ul aria-label={lane}>
              {cards.slice(0, SHOWN).map((file) => (
                <Card key={file.id} file={file} progress={progress} />
              ))}
            </ul>
            {cards.length > SHOWN && <p class="more">and {cards.length - SHOWN} older</p>}
          </div>
        );
      })}
    </div>
  );
}

function Card({ file, progress }: { file: FileInfo; progress: Progress }) {
  const p = progress[file.id];
  const percent =
    file.state === 'processing' && p && p.totalBytes > 0
      ? Math.round((100 * p.bytes) / p.totalBytes)
      : undefined;
  const reason = ['refused', 'failed', 'halted', 'incomplete', 'superseded'].includes(file.state)
    ? reasonOf(file)
    : undefined;
  const note = STATE_NOTES[file.state];
  return (
    <li
      class={`card state-${file.state}`}
      data-testid="file-row"
      data-file-name={file.name}
      data-state={file.state}
      data-key={String(file.id)}
    >
      <Link to={`/files/${file.id}`} class="card-name">
        {file.name}
      </Link>
      <span class="card-meta">
        {file.account}
        {file.size !== null && ` · ${formatBytes(file.size)}`}
        {file.kind === 'lhr' && ' · LHR'}
      </span>
      {note && <span class="card-note">{note}</span>}
      {percent !== undefined && (
        <progress max={100} value={percent} aria-label={`${file.name} processed ${percent} %`}>
          {percent} %
        </progress>
      )}
      {file.summary && <span class="card-result">{summaryLine(file)}</span>}
      {reason && <span class="card-reason">{reason}</span>}
    </li>
  );
}

function summaryLine(file: FileInfo): string {
  const s = file.summary;
  if (!s) return '';
  const parts = Object.entries(s.actions)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([action, n]) => `${n} ${action}`);
  return `${plural(s.records, 'record')}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

export default definePanel({
  page: 'board',
  id: 'pipeline',
  title: 'Pipeline',
  order: 10,
  width: 'wide',
  Component: Pipeline,
});
