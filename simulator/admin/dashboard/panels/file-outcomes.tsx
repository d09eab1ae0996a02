import type { FileInfo } from '../../admin-contract.ts';
import { BarChart, type Bar } from '../charts/bar-chart.tsx';
import { definePanel } from '../panel.ts';

/** Always shown, so a room sees a zero as a zero; other actions follow when a file has them. */
const MAIN_ACTIONS = ['match', 'create', 'unresolved'];
const TONES: Record<string, string> = {
  match: 'good',
  create: 'new',
  replace: 'new',
  unresolved: 'warn',
  'data error': 'bad',
  rejected: 'bad',
};

export function outcomeBars(file: FileInfo): Bar[] {
  const actions = file.summary?.actions ?? {};
  const names =
    file.kind === 'lhr'
      ? Object.keys(actions)
      : [...MAIN_ACTIONS, ...Object.keys(actions).filter((a) => !MAIN_ACTIONS.includes(a))];
  const bars: Bar[] = names.map((a) => ({ label: a, value: actions[a] ?? 0, tone: TONES[a] }));
  for (const [name, value] of Object.entries(file.summary?.errorClasses ?? {})) {
    bars.push({ label: name, value, tone: 'bad' });
  }
  return bars;
}

function Outcomes({ file }: { file: FileInfo }) {
  if (!file.summary) return <p>No outcomes yet: processing has not finished this file.</p>;
  const hasErrors = Object.keys(file.summary.errorClasses ?? {}).length > 0;
  return (
    <>
      <BarChart
        title={`Record outcomes of ${file.name} (${file.summary.records} records)`}
        bars={outcomeBars(file)}
        axisLabel="records"
        testId="outcomes-chart"
      />
      {hasErrors && (
        <p class="note">
          Error classes count records with that error; such a record is counted under its outcome too.
        </p>
      )}
    </>
  );
}

export default definePanel({
  page: 'file',
  id: 'outcomes',
  title: 'Outcomes',
  order: 20,
  width: 'half',
  Component: Outcomes,
});
