import type { MarcRecord } from '../marc/marc-record.ts';

/**
 * Keys for OCLC's "full match" of records that arrive without an OCN [OURS]: ISBN (020 $a),
 * LCCN (010 $a) and normalised title (245 $a $b) with Date 1 (008/07-10).
 */
export function matchKeys(record: MarcRecord): string[] {
  const keys: string[] = [];
  for (const isbn of record.values('020', 'a')) {
    const digits = /^[\dXx-]+/.exec(isbn.trim())?.[0].replace(/-/g, '').toUpperCase();
    if (digits && (digits.length === 10 || digits.length === 13)) keys.push(`isbn:${digits}`);
  }
  for (const lccn of record.values('010', 'a')) {
    const value = lccn.replace(/\s+/g, '');
    if (value) keys.push(`lccn:${value}`);
  }
  const title = [record.first('245', 'a') ?? '', record.first('245', 'b') ?? ''].join(' ');
  // Most titles are ASCII; NFKD and Unicode classes are costly, so only others take that path.
  const normalised = /^[\x20-\x7e]*$/.test(title)
    ? title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, ' ')
        .trim()
    : title
        .normalize('NFKD')
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, ' ')
        .trim();
  const date = record.control('008')?.slice(7, 11) ?? '';
  if (normalised) keys.push(`title:${normalised}|${date}`);
  return keys;
}
