import { once } from 'node:events';
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { recodeRecord, type MarcEncoding } from '../../oclc/marc/recode-record.ts';
import type { MarcRecord } from '../../oclc/marc/marc-record.ts';
import { writeIso2709 } from '../../oclc/marc/write-iso2709.ts';
import { MARCXML_HEAD, MARCXML_TAIL, writeMarcxmlRecord } from '../../oclc/marc/write-marcxml.ts';

export interface OutputFormat {
  format: 'marc21' | 'marcxml';
  encoding: MarcEncoding;
}

/**
 * Writes one output file: ISO 2709 in the collection's encoding, or MARCXML (always UTF-8, as
 * XML is). It is written beside the data dir's work folder and renamed into place, so a client
 * listing the folder never sees half a file.
 */
export async function writeOutputFile(
  target: { path: string; scratch: string },
  batches: AsyncIterable<readonly MarcRecord[]>,
  how: OutputFormat,
): Promise<number> {
  mkdirSync(dirname(target.scratch), { recursive: true });
  const out = createWriteStream(target.scratch);
  const write = async (chunk: Buffer | string): Promise<void> => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  let count = 0;
  try {
    if (how.format === 'marcxml') await write(MARCXML_HEAD);
    for await (const batch of batches) {
      for (const record of batch) {
        if (how.format === 'marcxml') {
          await write(`${count > 0 ? '\n' : ''}${writeMarcxmlRecord(recodeRecord(record, 'utf8'))}`);
        } else {
          const coded = recodeRecord(record, how.encoding);
          await write(writeIso2709(coded.leader, coded.fields));
        }
        count++;
      }
    }
    if (how.format === 'marcxml') await write(MARCXML_TAIL);
    out.end();
    await once(out, 'finish');
    renameSync(target.scratch, target.path);
    return count;
  } catch (error) {
    out.destroy();
    rmSync(target.scratch, { force: true });
    throw error;
  }
}
