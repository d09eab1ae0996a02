import panels from 'dashboard:panels';
import type { FileInfo } from '../../admin-contract.ts';
import { formatBytes } from '../format.ts';
import { useFiles } from '../hooks/live.tsx';
import { useApi } from '../hooks/use-api.ts';
import { laneOf, reasonOf, STATE_NOTES } from '../pipeline-lanes.ts';
import { isPresenting, Link } from '../router.tsx';
import { PanelSection, panelsFor } from './panel-section.tsx';

/** `/files/{id}`: one file's story: its timeline, outcomes, reports and (LHR) replace-all effect. */
export function FilePage({ id }: { id: number }) {
  const live = useFiles()[id];
  const fetched = useApi<FileInfo>(live ? undefined : `/api/files/${id}?limit=0`);
  const file = live ?? fetched.data;
  if (!file) {
    return (
      <>
        <h1 class="page-title">File {id}</h1>
        <p role={fetched.error ? 'alert' : 'status'}>{fetched.error ?? 'Loading…'}</p>
        <p>
          <Link to="/">Back to the board</Link>
        </p>
      </>
    );
  }
  const reason = reasonOf(file);
  return (
    <>
      <p class="crumbs">
        <Link to="/">Board</Link> › file {file.id}
      </p>
      <h1 class="page-title file-title">{file.name}</h1>
      <p class={`file-state state-${file.state}`} data-testid="file-state" data-state={file.state}>
        <strong>{laneOf(file.state)}</strong>
        {STATE_NOTES[file.state] ? ` (${STATE_NOTES[file.state] ?? ''})` : ''} ·{' '}
        {file.kind === 'lhr' ? 'LHR' : 'bib'} file from {file.account} to {file.folder}
        {file.size !== null && ` · ${formatBytes(file.size)}`}
        {file.collectionId && ` · collection ${file.collectionId}`}
      </p>
      {reason && <p class="error file-reason">{reason}</p>}
      <div class="panels">
        {panelsFor(panels, 'file', isPresenting())
          .filter((panel) => panel.shows?.(file) ?? true)
          .map((panel) => (
            <PanelSection panel={panel} key={panel.id}>
              <panel.Component file={file} />
            </PanelSection>
          ))}
      </div>
    </>
  );
}
