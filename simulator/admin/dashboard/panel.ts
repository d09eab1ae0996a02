import type { FunctionComponent } from 'preact';
import type { FileInfo } from '../admin-contract.ts';

/**
 * A dashboard panel: one file in panels/ whose default export is `definePanel({...})`. The build
 * finds every file there (build-dashboard.ts), so adding a panel touches no other file. The page
 * draws the panel's section and heading (an `h2` named `title`, which names the region too); the
 * component draws the rest and fetches its own data (hooks/use-api.ts, hooks/live.tsx). Helpers
 * that are not panels go in parts/, charts/ or hooks/, never in panels/. For example, panels/outbox.tsx:
 *
 *     function Outbox() {
 *       // Fetched again (at most every 400 ms) whenever an outbox:* event arrives.
 *       const { data } = useApi<{ items: Item[] }>('/api/outbox', /^outbox:/);
 *       return <ul>{data?.items.map((i) => <li key={i.id}>{i.name}</li>)}</ul>;
 *     }
 *     export default definePanel({ page: 'board', id: 'outbox', title: 'Outbox', order: 35, width: 'half', Component: Outbox });
 *
 * A file page's panel takes `page: 'file'`, gets `{ file }` and may say `shows: (file) => ...`.
 * The browser test for a panel goes in test/browser/ (helpers in browser-page.ts).
 */
export type PanelDefinition = BoardPanel | FilePanel;

interface PanelBase {
  /** Unique, kebab-case: the section's id and its CSS class (`panel-<id>`). */
  id: string;
  title: string;
  /** Lower comes first on its page. The pipeline is 10; leave gaps. */
  order: number;
  /** `wide` spans the page; `half` shares a row with the next half panel. */
  width?: 'wide' | 'half';
  /** Left out of presenter mode (controls a room does not need to see). */
  hideWhenPresenting?: boolean;
}

/** A panel on the board (`/`). */
export interface BoardPanel extends PanelBase {
  page: 'board';
  Component: FunctionComponent;
}

/** A panel on a file's page (`/files/{id}`), given the file as it is now. */
export interface FilePanel extends PanelBase {
  page: 'file';
  /** Only for files this accepts (e.g. LHR files only); default: every file. */
  shows?: (file: FileInfo) => boolean;
  Component: FunctionComponent<{ file: FileInfo }>;
}

export function definePanel<P extends PanelDefinition>(panel: P): P {
  return panel;
}
