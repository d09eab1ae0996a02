import { once } from 'node:events';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { DataSyncError } from '../../oclc/error-catalogue.ts';

/**
 * Unpacks a zipped output file: OCLC's `<name>.zip` holds the one file `<name>`. Anything else
 * (another name, a path, several entries) is refused rather than written somewhere unexpected.
 * The file is written aside and renamed, so a crash never leaves half of it under its name.
 */
export async function unzipOutputFile(zipPath: string, expected: string, targetPath: string): Promise<void> {
  const refuse = (reason: string): DataSyncError =>
    new DataSyncError('INPUT_UNREADABLE', {
      path: zipPath,
      reason: `${reason}; an output zip holds the one file ${expected}`,
    });
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true });
  } catch (error) {
    throw refuse(`it is not a readable zip (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    if (zip.entryCount !== 1) throw refuse(`it holds ${zip.entryCount} entries`);
    zip.readEntry();
    const [entry] = (await once(zip, 'entry')) as [yauzl.Entry];
    if (entry.fileName !== expected) throw refuse(`it holds "${entry.fileName}"`);
    const scratch = `${targetPath}.unzip`;
    try {
      // yauzl checks the size and CRC as it reads: a damaged zip fails here, not later in an import.
      await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(scratch));
    } catch (error) {
      rmSync(scratch, { force: true });
      if (error instanceof Error && typeof (error as { syscall?: unknown }).syscall === 'string') throw error;
      throw refuse(`it cannot be unpacked (${error instanceof Error ? error.message : String(error)})`);
    }
    renameSync(scratch, targetPath);
  } finally {
    zip.close();
  }
}
