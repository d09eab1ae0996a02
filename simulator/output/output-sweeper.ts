import { createReadStream, createWriteStream, existsSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { basename } from 'node:path';
import yazl from 'yazl';
import type { OutputLedger } from '../storage/output-ledger.ts';

const DAY_MS = 86_400_000;
/** OCLC zips output files older than 7 days and keeps them 90 days. */
export const ZIP_AFTER_MS = 7 * DAY_MS;
export const REMOVE_AFTER_MS = 90 * DAY_MS;

/** Zips a delivered file to `<name>.zip` (written aside, then renamed) and removes the original. */
export async function zipFile(path: string): Promise<void> {
  const zip = new yazl.ZipFile();
  zip.addReadStream(createReadStream(path), basename(path));
  zip.end();
  const scratch = `${path}.zip.part`;
  const out = createWriteStream(scratch);
  zip.outputStream.pipe(out);
  await once(out, 'close');
  const { renameSync } = await import('node:fs');
  renameSync(scratch, `${path}.zip`);
  rmSync(path, { force: true });
}

/**
 * Retention of output files on the simulator clock: zipped after 7 days, removed after 90.
 * `diskPath` maps a file's SFTP path to where it is on disk; `notify` hears each step.
 */
export async function sweepOutputFiles(deps: {
  ledger: OutputLedger;
  now: number;
  diskPath: (sftpPath: string, symbol: string) => string | undefined;
  notify: (step: 'zipped' | 'removed', file: { path: string; symbol: string }) => void;
}): Promise<void> {
  const { ledger, now } = deps;
  for (const file of ledger.presentBefore(now - REMOVE_AFTER_MS)) {
    const disk = deps.diskPath(file.path, file.symbol);
    if (disk) rmSync(file.zipped ? `${disk}.zip` : disk, { force: true });
    ledger.removed(file.path, now);
    deps.notify('removed', { path: file.zipped ? `${file.path}.zip` : file.path, symbol: file.symbol });
  }
  for (const file of ledger.unzippedBefore(now - ZIP_AFTER_MS)) {
    const disk = deps.diskPath(file.path, file.symbol);
    if (disk && existsSync(disk)) await zipFile(disk);
    ledger.zipped(file.path, now);
    deps.notify('zipped', { path: `${file.path}.zip`, symbol: file.symbol });
  }
}
