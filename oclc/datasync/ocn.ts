import type { MarcRecord } from '../marc/marc-record.ts';

/** Where a collection takes the incoming OCLC number from (OCLC: a per-collection setting). */
export type OcnSource = '035' | '001' | 'any' | 'none';

/** `(OCoLC)00012345`, `(OCoLC)ocm00012345`, `ocn123456789`, `on1345345345` → digits without leading zeros. */
export function normalizeOcn(text: string): string | undefined {
  const match = /^(?:\(OCoLC\))?\s*(?:ocm|ocn|on)?(\d{1,15})$/.exec(text.trim());
  if (!match?.[1]) return undefined;
  const digits = match[1].replace(/^0+/, '');
  return digits === '' ? undefined : digits;
}

/**
 * The first `035 $a (OCoLC)…`; other 035 prefixes are other systems' numbers. Only the first
 * (OCoLC) number counts, as at OCLC: a record whose first one is malformed has no OCN (it goes to
 * the full match), it does not borrow a later one.
 */
export function ocnFrom035(record: MarcRecord): string | undefined {
  for (const value of record.values('035', 'a')) {
    if (value.trim().startsWith('(OCoLC)')) return normalizeOcn(value);
  }
  return undefined;
}

/** 001 is an OCLC number only when 003 says OCoLC; then `ocm` (8 digits), `ocn` (9), `on` (10+). */
export function ocnFrom001(record: MarcRecord): string | undefined {
  if (record.control('003')?.trim() !== 'OCoLC') return undefined;
  const value = record.control('001')?.trim() ?? '';
  if (!/^(ocm\d{8}|ocn\d{9}|on\d{10,}|\d+)$/.test(value)) return undefined;
  return normalizeOcn(value);
}

export function incomingOcn(record: MarcRecord, source: OcnSource): string | undefined {
  if (source === 'none') return undefined;
  if (source === '035') return ocnFrom035(record);
  if (source === '001') return ocnFrom001(record);
  return ocnFrom035(record) ?? ocnFrom001(record);
}

/** `019 $a`: numbers of records merged into this one. */
export function mergedOcns(record: MarcRecord): string[] {
  return record
    .values('019', 'a')
    .map(normalizeOcn)
    .filter((v): v is string => v !== undefined);
}

/**
 * The local system number: the first configured field that has a value (`001`, or `TAG$c` such
 * as `907$a`). Alma's is the MMS ID in 001.
 */
export function localSystemNumber(record: MarcRecord, fields: readonly string[]): string | undefined {
  for (const spec of fields) {
    const [tag = '', code] = spec.split('$');
    const value = code ? record.first(tag, code) : controlText(record.control(tag));
    const trimmed = value?.trim();
    if (trimmed) return trimmed;
  }
  return undefined;
}

/**
 * A control field's text. Some exports write 001 like a data field (indicators, then `0x1F a`
 * and the number); the delimiter is structure, not part of the number, so the first subfield's
 * text is the value. It must never reach a report as a raw 0x1F byte.
 */
function controlText(value: string | undefined): string | undefined {
  if (value === undefined || !value.includes('\x1f')) return value;
  const [, first = ''] = value.split('\x1f');
  return first.slice(1);
}
