import { MarcRecord, SUBFIELD_DELIMITER, type MarcField } from '../marc/marc-record.ts';
import { normalizeOcn } from './ocn.ts';

/** A WorldCat number known without any record (a holding set by number only). */
export function briefRecord(): MarcRecord {
  return MarcRecord.fromFields('00000nam a2200000 i 4500', []);
}

/** 001 with OCLC's prefix (`ocm` 8 digits, `ocn` 9, `on` 10 and more). */
export function prefixedOcn(ocn: string): string {
  if (ocn.length <= 8) return `ocm${ocn.padStart(8, '0')}`;
  if (ocn.length === 9) return `ocn${ocn}`;
  return `on${ocn}`;
}

/**
 * The record with WorldCat's control numbers: 001 (prefixed), 003 OCoLC, 019 with the merged
 * numbers, and one 035 `(OCoLC)` with the merged numbers in $z; the library's own 001/003 and
 * (OCoLC) 035s go.
 */
export function withControlNumbers(record: MarcRecord, ocn: string, merged: readonly string[]): MarcRecord {
  const numbers = [
    ...new Set(merged.map((m) => normalizeOcn(m)).filter((m): m is string => !!m && m !== ocn)),
  ];
  const kept = record.fields.filter(
    (f) =>
      f.tag !== '001' &&
      f.tag !== '003' &&
      f.tag !== '019' &&
      !(f.tag === '035' && f.data.includes('(OCoLC)')),
  );
  const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');
  const sub = (code: string, value: string): Buffer =>
    Buffer.concat([ascii(String.fromCharCode(SUBFIELD_DELIMITER) + code), ascii(value)]);
  const added: MarcField[] = [
    { tag: '001', data: ascii(prefixedOcn(ocn)) },
    { tag: '003', data: ascii('OCoLC') },
    {
      tag: '035',
      data: Buffer.concat([
        ascii('  '),
        sub('a', `(OCoLC)${ocn}`),
        ...numbers.map((n) => sub('z', `(OCoLC)${n}`)),
      ]),
    },
  ];
  if (numbers.length > 0)
    added.push({ tag: '019', data: Buffer.concat([ascii('  '), ...numbers.map((n) => sub('a', n))]) });
  const fields = [...added, ...kept].sort((a, b) => a.tag.localeCompare(b.tag));
  return MarcRecord.fromFields(record.leader, fields);
}
