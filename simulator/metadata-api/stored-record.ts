import type { MarcRecord } from '../../oclc/marc/marc-record.ts';
import { parseIso2709Record } from '../../oclc/marc/parse-iso2709-record.ts';

/** A local record as the API stored it (ISO 2709 it wrote itself, so always readable). */
export function storedRecord(marc: Buffer): MarcRecord {
  const parsed = parseIso2709Record(marc);
  if (!parsed.ok) throw new Error(`a stored local record is unreadable: ${parsed.detail}`);
  return parsed.record;
}
