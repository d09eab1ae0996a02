import { join } from 'node:path';
import type { Institution } from '../config/simulator-config.ts';

/**
 * Where everything lives in the data dir; the SFTP server, intake, processing and reset all ask
 * here. `xfer/<account>/` holds the account trees clients see, `queue/` the picked-up uploads,
 * `work/<file id>/` processing's scratch space, `staging/` uploads until CLOSE.
 */
export const storageLayout = {
  institutionRoot: (dataDir: string, institution: Institution): string =>
    join(dataDir, 'xfer', institution.encodedSymbol.toLowerCase()),
  reportsFolder: (dataDir: string, institution: Institution): string =>
    join(storageLayout.institutionRoot(dataDir, institution), 'metacoll', 'reports'),
  queueFolder: (dataDir: string): string => join(dataDir, 'queue'),
  workRoot: (dataDir: string): string => join(dataDir, 'work'),
  workFolder: (dataDir: string, fileId: number): string => join(dataDir, 'work', String(fileId)),
  stagingFolder: (dataDir: string): string => join(dataDir, 'staging'),
  database: (dataDir: string): string => join(dataDir, 'state.sqlite'),
  /**
   * This process's own part of the data dir: state database, staging, processing scratch, lock.
   * The data dir itself with the SQLite store; with a PostgreSQL store the data dir is shared by
   * the replicas, each working in `replicas/<name>/` (D106).
   */
  stateDir: (config: { dataDir: string; store?: { replica: string } | undefined }): string =>
    config.store ? join(config.dataDir, 'replicas', config.store.replica) : config.dataDir,
  /** Held by the server using the data dir (pid inside); see data-dir-lock.ts. */
  lockFile: (dataDir: string): string => join(dataDir, 'datasync-sim.lock'),
  /** The folders a reset empties: everything but the database, the host keys (ssh_host_*_key) and the config. */
  resettable: (dataDir: string): string[] =>
    ['xfer', 'queue', 'work', 'staging'].map((d) => join(dataDir, d)),
};
