import type { MarcRecord } from '../marc/marc-record.ts';
import type { LhrTranslationRule } from './collection-settings.ts';
import { normalizeOcn } from './ocn.ts';
import { translate852 } from './translate-852.ts';

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
 * and $b, after the collection's 852 translation table. Returns the first problem as an
 * exception message.
 */
export function readLhr(
  record: MarcRecord,
  ocnField: LhrOcnSource,
  translation: readonly LhrTranslationRule[] = [],
): LhrReading {
  const lsn = record.control('001')?.trim() ?? '';
  const translated = translate852(record, translation);
  const f852 = translated.ok ? translated.field : (code: string) => record.first('852', code);
  const library = f852('b')?.trim() ?? '';
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
  if (!translated.ok) return fail(translated.message);
  const symbol = f852('a')?.trim() ?? '';
  if (!symbol) return fail('852 $a (institution symbol) is missing.');
  if (!library) return fail('852 $b (holding library) is missing.');
  const callNumber = [f852('h'), f852('i')].filter(Boolean).join(' ').trim();
  return {
    ok: true,
    lhr: {
      lsn,
      ocn,
      symbol,
      holdingLibrary: library,
      location: f852('c')?.trim() ?? '',
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
