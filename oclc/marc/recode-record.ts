import { decodeMarc8, encodeMarc8 } from './marc8.ts';
import { MarcRecord, SUBFIELD_DELIMITER, subfieldsOf, type MarcField } from './marc-record.ts';

export type MarcEncoding = 'utf8' | 'marc8';

/** The record's encoding as its Leader/09 declares it: `a` UTF-8, blank MARC-8. */
export function encodingOf(record: MarcRecord): MarcEncoding {
  return record.leader[9] === 'a' ? 'utf8' : 'marc8';
}

/** The record in another encoding (Leader/09 set to match); indicators and codes stay as they are. */
export function recodeRecord(record: MarcRecord, to: MarcEncoding): MarcRecord {
  const from = encodingOf(record);
  if (from === to) return record;
  const decode = from === 'utf8' ? (b: Buffer) => b.toString('utf8') : decodeMarc8;
  const encode = to === 'utf8' ? (t: string) => Buffer.from(t.normalize('NFC'), 'utf8') : encodeMarc8;
  const fields: MarcField[] = record.fields.map((field) => {
    if (/^00\d$/.test(field.tag)) return { tag: field.tag, data: encode(decode(field.data)) };
    const parts = [field.data.subarray(0, 2)];
    for (const sub of subfieldsOf(field))
      parts.push(Buffer.from([SUBFIELD_DELIMITER, sub.code.charCodeAt(0)]), encode(decode(sub.value)));
    return { tag: field.tag, data: Buffer.concat(parts) };
  });
  const leader = `${record.leader.slice(0, 9)}${to === 'utf8' ? 'a' : ' '}${record.leader.slice(10)}`;
  return MarcRecord.fromFields(leader, fields);
}
