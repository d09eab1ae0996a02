import { useState } from 'preact/hooks';
import type { FileInfo } from '../../admin-contract.ts';
import { post } from '../api.ts';
import { useMessage } from '../hooks/use-message.tsx';
import { definePanel } from '../panel.ts';

function Controls() {
  const onMessage = useMessage();
  const [by, setBy] = useState('1h');
  const act = (what: () => Promise<string>) => () =>
    void what().then(onMessage, (e: unknown) => onMessage(e instanceof Error ? e.message : String(e)));
  return (
    <div class="row">
      <button
        type="button"
        onClick={act(async () => {
          const r = await post<{ processed: FileInfo[] }>('/api/processing/run');
          return `Processed ${r.processed.length} file(s).`;
        })}
      >
        Process now
      </button>
      <label for="advance-by">Advance the clock by</label>
      <input id="advance-by" value={by} size={6} onInput={(e) => setBy(e.currentTarget.value)} />
      <button
        type="button"
        onClick={act(
          async () => `Clock now ${(await post<{ now: string }>('/api/clock/advance', { by })).now}.`,
        )}
      >
        Advance
      </button>
      <button
        type="button"
        class="danger"
        onClick={act(async () => {
          if (
            !confirm('Reset the simulator? Files, holdings, LHRs, reports and the journal are forgotten.')
          ) {
            return 'Reset cancelled.';
          }
          await post('/api/reset');
          return 'Reset done.';
        })}
      >
        Reset…
      </button>
    </div>
  );
}

export default definePanel({
  page: 'board',
  id: 'controls',
  title: 'Controls',
  order: 50,
  width: 'half',
  hideWhenPresenting: true,
  Component: Controls,
});
