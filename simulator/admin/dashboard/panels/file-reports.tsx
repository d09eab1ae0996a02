import { useState } from 'preact/hooks';
import type { FileInfo, FileWithOutcomes } from '../../admin-contract.ts';
import { download } from '../api.ts';
import { useApi } from '../hooks/use-api.ts';
import { useMessage } from '../hooks/use-message.tsx';
import { definePanel } from '../panel.ts';

const PAGE = 50;

function Reports({ file }: { file: FileInfo }) {
  const onMessage = useMessage();
  const [page, setPage] = useState(0);
  const reports = file.summary?.reports ?? [];
  const { data } = useApi<FileWithOutcomes>(
    file.summary ? `/api/files/${file.id}?offset=${page * PAGE}&limit=${PAGE}` : undefined,
  );
  if (reports.length === 0) return <p>No reports yet.</p>;
  const total = data?.outcomeCount ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE));
  return (
    <>
      <ul class="reports">
        {reports.map((r) => (
          <li key={r}>
            <button
              type="button"
              class="link"
              onClick={() =>
                void download(`/api/files/${file.id}/reports/${encodeURIComponent(r)}`, r).catch(
                  (e: unknown) => onMessage(e instanceof Error ? e.message : String(e)),
                )
              }
            >
              Download {r}
            </button>
          </li>
        ))}
      </ul>
      {data && data.outcomes.length > 0 && (
        <>
          <table data-testid="outcomes">
            <caption>
              Report rows {page * PAGE + 1}–{page * PAGE + data.outcomes.length} of {total}
            </caption>
            <thead>
              <tr>
                <th scope="col">Locator</th>
                <th scope="col">LSN</th>
                <th scope="col">Incoming OCN</th>
                <th scope="col">WorldCat OCN</th>
                <th scope="col">Action</th>
                <th scope="col">Errors</th>
              </tr>
            </thead>
            <tbody>
              {data.outcomes.map((o) => (
                <tr key={o.offset}>
                  <td>{o.locator}</td>
                  <td>{o.lsn}</td>
                  <td>{o.incomingOcn}</td>
                  <td>{o.worldcatOcn}</td>
                  <td>{o.action}</td>
                  <td>
                    {o.errors
                      .map((e) => `${e.type}${e.severity ? ` (${e.severity})` : ''}: ${e.message}`)
                      .join('; ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav class="pager" aria-label="Report rows pages">
            <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
              Previous rows
            </button>
            <span>
              Page {page + 1} of {pages}
            </span>
            <button type="button" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
              Next rows
            </button>
          </nav>
        </>
      )}
    </>
  );
}

export default definePanel({
  page: 'file',
  id: 'reports',
  title: 'Reports',
  order: 30,
  width: 'wide',
  Component: Reports,
});
