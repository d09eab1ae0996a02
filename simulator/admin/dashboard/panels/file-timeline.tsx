import type { FileInfo } from '../../admin-contract.ts';
import { formatTime } from '../format.ts';
import { useApi } from '../hooks/use-api.ts';
import { definePanel } from '../panel.ts';
import { laneOf, STATE_NOTES } from '../pipeline-lanes.ts';

interface Timeline {
  id: number;
  now: number;
  stages: { state: string; event: string; at: number; realAt: number }[];
}

/** "+1.2 s", "+3 min": how long a step took on one clock. */
function after(ms: number): string {
  if (ms < 1000) return `+${ms} ms`;
  if (ms < 60_000) return `+${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `+${Math.round(ms / 60_000)} min`;
  return `+${(ms / 3_600_000).toFixed(1)} h`;
}

function FileTimeline({ file }: { file: FileInfo }) {
  const { data, error } = useApi<Timeline>(`/api/files/${file.id}/timeline`, /^(upload|file):/);
  if (error) return <p class="error">{error}</p>;
  if (!data) return <p>Loading…</p>;
  return (
    <ol class="timeline" data-testid="timeline">
      {data.stages.map((stage, i) => {
        const prev = data.stages[i - 1];
        return (
          <li key={`${stage.state}-${i}`} class={`stage state-${stage.state}`} data-state={stage.state}>
            <strong>
              {stage.state === 'receiving' ? 'Upload started' : laneOf(stage.state)}
              {STATE_NOTES[stage.state] && stage.state !== 'receiving'
                ? ` (${STATE_NOTES[stage.state] ?? ''})`
                : ''}
            </strong>
            <span class="stage-time">
              simulated <time dateTime={new Date(stage.at).toISOString()}>{formatTime(stage.at)}</time>
              {prev && <span class="stage-gap"> {after(stage.at - prev.at)}</span>}
            </span>
            <span class="stage-time">
              real <time dateTime={new Date(stage.realAt).toISOString()}>{formatTime(stage.realAt)}</time>
              {prev && <span class="stage-gap"> {after(stage.realAt - prev.realAt)}</span>}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

export default definePanel({
  page: 'file',
  id: 'timeline',
  title: 'Timeline',
  order: 10,
  width: 'wide',
  Component: FileTimeline,
});
