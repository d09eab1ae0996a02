import type { MarcRecord } from '../marc/marc-record.ts';
import { normalizeOcn } from './ocn.ts';

/** Where an LHR collection takes the OCN of the bib record (OCLC: one field for the whole file). */
export type LhrOcnSource = '004' | '014' | '035';

export interface LocalHoldingsRecord {
  lsn: string;
  ocn: string;
  /** 852 $a as written: the institution symbol. */
  symbol: string;
  /** 852 $b: the holding library. */
  holdingLibrary: string;
  /** 852 $c: the shelving location. */
  location: string;
  /** 852 $h and $i. */
  callNumber: string;
  /** 876 $p. */
  barcodes: string[];
  /** Leader/05 `d`. */
  isDelete: boolean;
}

export type LhrReading =
  | { ok: true; lhr: LocalHoldingsRecord }
  | { ok: false; lsn: string; ocn: string; library: string; message: string };

const HOLDINGS_TYPES = new Set(['x', 'y', 'v', 'u']);

/**
 * Reads one MFHD record the way OCLC's LHR rules describe it: a holdings record (Leader/06
 * x, y, v, u) with a valid OCN in the collection's field, 007, 008 and exactly one 852 with $a
 * and $b. Returns the first problem as an exception message.
 */
export function readLhr(record: MarcRecord, ocnField: LhrOcnSource): LhrReading {
  const lsn = record.control('001')?.trim() ?? '';
  const library = record.first('852', 'b')?.trim() ?? '';
  const ocnText =
    ocnField === '004'
      ? record.control('004')
      : ocnField === '014'
        ? record.first('014', 'a')
        : oclc035(record);
  const ocn = ocnText === undefined ? undefined : normalizeOcn(ocnText);
  const fail = (message: string): LhrReading => ({ ok: false, lsn, ocn: ocn ?? '', library, message });
  const type = record.leader[6] ?? ' ';
  if (!HOLDINGS_TYPES.has(type)) {
    return fail(`Record is not a holdings record (Leader/06 is "${type}"; an LHR has x, y, v or u).`);
  }
  if (!lsn) return fail('Local system number (001) is missing.');
  if (ocnText === undefined)
    return fail(
      `OCLC number not found in ${ocnField === '004' ? '004' : `${ocnField} $a`}; this collection reads it from there.`,
    );
  if (!ocn) return fail(`OCLC number "${ocnText.trim()}" in ${ocnField} is not valid.`);
  for (const tag of ['007', '008', '852']) if (!record.has(tag)) return fail(`${tag} is missing.`);
  if (countTag(record, '852') > 1)
    return fail('More than one 852: OCLC does not process several locations in one holdings record.');
  const symbol = record.first('852', 'a')?.trim() ?? '';
  if (!symbol) return fail('852 $a (institution symbol) is missing.');
  if (!library) return fail('852 $b (holding library) is missing.');
  const callNumber = [record.first('852', 'h'), record.first('852', 'i')].filter(Boolean).join(' ').trim();
  return {
    ok: true,
    lhr: {
      lsn,
      ocn,
      symbol,
      holdingLibrary: library,
      location: record.first('852', 'c')?.trim() ?? '',
      callNumber,
      barcodes: record
        .values('876', 'p')
        .map((b) => b.trim())
        .filter(Boolean),
      isDelete: record.leader[5] === 'd',
    },
  };
}

function oclc035(record: MarcRecord): string | undefined {
  return record.values('035', 'a').find((v) => v.trim().startsWith('(OCoLC)'));
}

function countTag(record: MarcRecord, tag: string): number {
  let count = 0;
  for (let i = 0; i < record.fieldCount; i++) if (record.tagAt(i) === tag) count++;
  return count;
}
