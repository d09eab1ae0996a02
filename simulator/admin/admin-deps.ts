import type { StartedSimulator } from '../started-simulator.ts';
import type { NamespaceAdmin } from './namespace-routes.ts';

/** What the admin API serves: the parts of a started simulator its routes call. */
export type AdminDeps = Pick<
  StartedSimulator,
  | 'files'
  | 'store'
  | 'journal'
  | 'status'
  | 'worldcat'
  | 'processing'
  | 'clock'
  | 'config'
  | 'reset'
  | 'defender'
  | 'events'
  | 'upload'
  | 'faults'
  | 'sftp'
  | 'output'
  | 'records'
  | 'metadataApi'
  | 'metrics'
> & {
  /** The instance's namespaces: the default world serves /api/namespaces, a namespace does not. */
  namespaces?: NamespaceAdmin | undefined;
};

/** Which world an admin app serves (issue 26): the default, or a namespace with its own token. */
export interface AdminScope {
  namespace: string;
  /** Set for a namespace: its routes take this token or the instance's. */
  token?: string | undefined;
}
