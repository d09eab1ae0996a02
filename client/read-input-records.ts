import { createReadStream, statSync } from 'node:fs';
import { onUserPath } from '../oclc/file-system-error.ts';
import { DataSyncError } from '../oclc/error-catalogue.ts';
import { formatForName, readMarc, type MarcFormat } from '../oclc/marc/read-marc.ts';
import { marcxmlBytes, type InputRecord } from './plan-parts.ts';

/**
 * Reads every input file with the strict reader. A record that cannot be read stops the publish
 * (OCLC would only report it as a Data Error later), unless the caller chooses to skip it.
 */
export async function readInputRecords(
  files: readonly string[],
  options: { skipUnreadable: boolean; onSkip?: (message: string) => void },
): Promise<{ records: InputRecord[]; format: MarcFormat }> {
  const formats = new Set(files.map(formatForName));
  if (formats.size > 1) {
    throw new DataSyncError('INPUT_UNREADABLE', {
      path: files.join(', '),
      reason: 'mixes ISO 2709 and MARCXML files; publish them separately',
    });
  }
  const format = formats.values().next().value ?? 'iso2709';
  const records: InputRecord[] = [];
  for (const file of files) {
    const stats = onUserPath({ path: file, use: 'read', what: 'input file' }, () => statSync(file));
    if (stats.isDirectory())
      throw new DataSyncError('INPUT_UNREADABLE', {
        path: file,
        reason: 'it is a folder; name the MARC files in it',
      });
    for await (const item of readMarc(createReadStream(file), format)) {
      if (item.kind === 'error') {
        const message = `the record at byte ${item.offset} cannot be read (${item.code}: ${item.detail})`;
        if (!options.skipUnreadable) {
          throw new DataSyncError('INPUT_UNREADABLE', {
            path: file,
            reason: `${message}; fix the file, or pass --skip-unreadable to leave such records out`,
          });
        }
        options.onSkip?.(`${file}: skipped ${message}`);
        continue;
      }
      records.push({
        record: item.record,
        bytes: format === 'marcxml' ? marcxmlBytes(item.record) : item.record.bytes,
        file,
      });
    }
  }
  return { records, format };
}
