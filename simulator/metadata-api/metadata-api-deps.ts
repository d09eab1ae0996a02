import type { StartedSimulator } from '../started-simulator.ts';
import type { ApiTokens } from './api-tokens.ts';

/** What the Metadata API mock serves from: the simulator's parts plus the token store. */
export type MetadataApiDeps = Pick<
  StartedSimulator,
  'config' | 'clock' | 'events' | 'worldcat' | 'faults'
> & {
  tokens: ApiTokens;
  /** Runs a WorldCat write as the composition root orders them (one shared change with a PostgreSQL store, D105). */
  worldcatWrite: <T>(write: () => T | Promise<T>) => Promise<T>;
};
