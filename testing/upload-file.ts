import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { SftpConnection } from '../client/index.ts';
import type { StartedSimulator, UploadRecord } from '../simulator/index.ts';

/** Options of `uploadFile`: the login, password, bytes (or a path), upload name and folder. */
export interface UploadFileOptions {
  /** The login name, e.g. `fx_pul`. */
  user: string;
  password: string;
  /** The MARC bytes, or a path to read them from. */
  data: Buffer | string;
  /** The upload name; defaults to the file's own name when `data` is a path. */
  name?: string;
  /** Default `metacoll/in/bib`. */
  folder?: string;
}

/**
 * Uploads one file over real SFTP, as a library's exporter would, and returns the upload's record
 * once the simulator has received it. A refused name rejects with the server's explanation.
 */
export async function uploadFile(sim: StartedSimulator, options: UploadFileOptions): Promise<UploadRecord> {
  const name = options.name ?? (typeof options.data === 'string' ? basename(options.data) : undefined);
  if (!name) throw new TypeError('uploadFile needs a `name` when `data` is a Buffer');
  const bytes = typeof options.data === 'string' ? await readFile(options.data) : options.data;
  await using connection = await SftpConnection.connect({
    host: sim.sftp.host,
    port: sim.sftp.port,
    user: options.user,
    auth: { password: options.password },
    hostKey: { fingerprint: sim.sftp.hostKeyFingerprint },
  });
  await connection.upload(`${options.folder ?? 'metacoll/in/bib'}/${name}`, bytes);
  // CLOSE is answered after the upload is recorded, so its record exists now.
  const record = sim.files
    .list()
    .filter((f) => f.name === name)
    .at(-1);
  if (!record) throw new Error(`the simulator has no record of "${name}" after its upload`);
  return record;
}
