import type { FileInfo } from '../../admin-contract.ts';
import { BarChart } from '../charts/bar-chart.tsx';
import { definePanel } from '../panel.ts';

function LhrEffect({ file }: { file: FileInfo }) {
  const s = file.summary;
  if (!s) return <p>Processing has not finished this file.</p>;
  const a = s.actions;
  const effect = s.lhr ?? {
    added: a['create'] ?? 0,
    replaced: a['replace'] ?? 0,
    deleted: a['delete'] ?? 0,
    removedByReplace: a['removed-by-replace'] ?? 0,
  };
  return (
    <>
      <p>
        OCLC replaces all of an institution&apos;s LHRs on an OCN with the ones this file holds for it: an LHR
        the file leaves out is deleted.
      </p>
      <BarChart
        title="Replace-all effect on the LHRs"
        axisLabel="LHRs"
        testId="lhr-effect-chart"
        bars={[
          { label: 'added', value: effect.added, tone: 'new' },
          { label: 'replaced', value: effect.replaced, tone: 'good' },
          { label: 'deleted', value: effect.deleted, tone: 'warn' },
          { label: 'removed by replace-all', value: effect.removedByReplace, tone: 'bad' },
        ]}
      />
    </>
  );
}

export default definePanel({
  page: 'file',
  id: 'lhr-effect',
  title: 'Replace-all effect',
  order: 25,
  width: 'half',
  shows: (file) => file.kind === 'lhr',
  Component: LhrEffect,
});
