import type { StartedSimulator } from '../started-simulator.ts';

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
>;
