import { createReadStream, statSync } from 'node:fs';
import { onUserPath, onUserPathAsync } from '../oclc/file-system-error.ts';
import { DataSyncError } from '../oclc/error-catalogue.ts';
import type { MarcRecord } from '../oclc/marc/marc-record.ts';
import { Iso2709Reader } from '../oclc/marc/iso2709-reader.ts';
import type { MarcReadItem } from '../oclc/marc/marc-read-result.ts';
import { MarcxmlReader } from '../oclc/marc/marcxml-reader.ts';
import { formatForName, type MarcFormat } from '../oclc/marc/read-marc.ts';
import { writeMarcxmlRecord } from '../oclc/marc/write-marcxml.ts';

/**
 * Input is read 64 KiB at a time: the reader hands back a chunk's records at once, and the fewer
 * of them alive when the young generation is collected, the smaller V8 keeps it (1 MiB chunks
 * doubled the reader's peak memory on a 1 GB file, at the same speed).
 */
const READ_CHUNK = 64 * 1024;

export interface InputRecord {
  record: MarcRecord;
  /** The record's bytes as they will be sent (ISO 2709), or its MARCXML text. */
  bytes: Buffer;
  file: string;
  /** Where the record starts in its file (ISO 2709: its bytes are the file's from there). */
  offset: number;
}

export interface ReadOptions {
  skipUnreadable: boolean;
  onSkip?: (message: string) => void;
}

/** The one format of all input files; mixing ISO 2709 and MARCXML is refused. */
export function inputFormat(files: readonly string[]): MarcFormat {
  const formats = new Set(files.map(formatForName));
  if (formats.size > 1) {
    throw new DataSyncError('INPUT_UNREADABLE', {
      path: files.join(', '),
      reason: 'mixes ISO 2709 and MARCXML files; publish them separately',
    });
  }
  return formats.values().next().value ?? 'iso2709';
}

/**
 * Streams every input file through the strict reader a chunk at a time, handing each record to
 * `onRecord` as it is read (its bytes stay valid only during the call). A record that cannot be
 * read stops the publish (OCLC would only report it as a Data Error later), unless the caller
 * chooses to skip it.
 */
export async function readInputRecords(
  files: readonly string[],
  format: MarcFormat,
  options: ReadOptions,
  onRecord: (input: InputRecord) => void,
): Promise<void> {
  for (const file of files) {
    const target = { path: file, use: 'read' as const, what: 'input file' };
    const stats = onUserPath(target, () => statSync(file));
    if (stats.isDirectory())
      throw new DataSyncError('INPUT_UNREADABLE', {
        path: file,
        reason: 'it is a folder; name the MARC files in it',
      });
    const reader = format === 'marcxml' ? new MarcxmlReader() : new Iso2709Reader();
    const take = (items: MarcReadItem[]): void => {
      for (const item of items) {
        if (item.kind === 'record') {
          const bytes =
            format === 'marcxml' ? Buffer.from(writeMarcxmlRecord(item.record), 'utf8') : item.record.bytes;
          onRecord({ record: item.record, bytes, file, offset: item.offset });
          continue;
        }
        const message = `the record at byte ${item.offset} cannot be read (${item.code}: ${item.detail})`;
        if (!options.skipUnreadable) {
          throw new DataSyncError('INPUT_UNREADABLE', {
            path: file,
            reason: `${message}; fix the file, or pass --skip-unreadable to leave such records out`,
          });
        }
        options.onSkip?.(`${file}: skipped ${message}`);
      }
    };
    await onUserPathAsync(target, async () => {
      for await (const chunk of createReadStream(file, { highWaterMark: READ_CHUNK }))
        take(reader.push(chunk as Buffer));
    });
    take(reader.end());
  }
}
