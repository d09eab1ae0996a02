import { MarcRecord, SUBFIELD_DELIMITER, type MarcField } from '../marc/marc-record.ts';
import { recodeRecord } from '../marc/recode-record.ts';
import { briefRecord, withControlNumbers } from './worldcat-record.ts';

export interface OutputRecordInput {
  /** WorldCat's master (any encoding); undefined when only the number is known. */
  master: MarcRecord | undefined;
  ocn: string;
  /** The library's local system number for this record, when known. */
  lsn: string | undefined;
  /** `TAG$code` where the LSN goes (the institution's "Add fields" setting). */
  lsnField: string;
  /** Leader/05: n new, c changed (updates, merges), d deleted. */
  status: 'n' | 'c' | 'd';
}

/**
 * A delivered record, UTF-8: WorldCat's master with its control numbers (001 prefixed OCN, 003
 * OCoLC, 035 (OCoLC), 019 merged numbers), without local 9XX fields (those are no library's in
 * WorldCat), with the library's LSN in its chosen field and the status in Leader/05.
 */
export function outputRecord(input: OutputRecordInput): MarcRecord {
  const master = recodeRecord(input.master ?? briefRecord(), 'utf8');
  const numbered = withControlNumbers(master, input.ocn, master.values('019', 'a'));
  const fields: MarcField[] = numbered.fields.filter((f) => !f.tag.startsWith('9'));
  const [tag = '907', code = 'a'] = input.lsnField.split('$');
  if (input.lsn)
    fields.push({
      tag,
      data: Buffer.concat([
        Buffer.from('  '),
        Buffer.from([SUBFIELD_DELIMITER]),
        Buffer.from(code + input.lsn, 'utf8'),
      ]),
    });
  fields.sort((a, b) => a.tag.localeCompare(b.tag));
  const leader = `${numbered.leader.slice(0, 5)}${input.status}${numbered.leader.slice(6)}`;
  return MarcRecord.fromFields(leader, fields);
}
