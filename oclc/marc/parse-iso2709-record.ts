import { FIELD_TERMINATOR, MarcRecord, RECORD_TERMINATOR, tagCode } from './marc-record.ts';

export type ParsedIso2709 = { ok: true; record: MarcRecord } | { ok: false; detail: string };

/** Parses one framed record, checking leader, base address, directory and terminators. */
export function parseIso2709Record(bytes: Buffer): ParsedIso2709 {
  const length = bytes.length;
  if (length < 26 || bytes[length - 1] !== RECORD_TERMINATOR)
    return fail('the record does not end with 0x1D');
  const leader = bytes.toString('latin1', 0, 24);
  const base = number(bytes, 12, 5);
  if (base === undefined) return fail(`leader: base address "${leader.slice(12, 17)}" is not 5 digits`);
  if (base < 25 || base >= length)
    return fail(`leader: base address ${base} is outside the record (length ${length})`);
  if (bytes[base - 1] !== FIELD_TERMINATOR)
    return fail(`directory: no field terminator before the base address ${base}`);
  if ((base - 1 - 24) % 12 !== 0)
    return fail(`directory: ${base - 25} bytes is not a whole number of 12-byte entries`);
  const tags: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (let entry = 24; entry < base - 1; entry += 12) {
    const fieldLength = number(bytes, entry + 3, 4);
    const start = number(bytes, entry + 7, 5);
    if (!isTag(bytes, entry))
      return fail(`directory: entry ${(entry - 24) / 12 + 1} has an invalid tag "${tagName(bytes, entry)}"`);
    if (fieldLength === undefined || start === undefined) {
      return fail(`directory: entry for ${tagName(bytes, entry)} has non-numeric length or position`);
    }
    const from = base + start;
    const to = from + fieldLength;
    if (fieldLength < 1 || to > length - 1) {
      return fail(
        `directory: field ${tagName(bytes, entry)} (${fieldLength} bytes at ${start}) runs past the end of the record`,
      );
    }
    if (bytes[to - 1] !== FIELD_TERMINATOR)
      return fail(`field ${tagName(bytes, entry)} does not end with a field terminator (0x1E)`);
    tags.push(tagCode(bytes, entry));
    starts.push(from);
    ends.push(to - 1);
  }
  return { ok: true, record: new MarcRecord(leader, bytes, tags, starts, ends) };
}

function isTag(bytes: Buffer, at: number): boolean {
  for (let i = at; i < at + 3; i++) {
    const b = bytes[i] ?? 0;
    const alnum = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
    if (!alnum) return false;
  }
  return true;
}

function number(bytes: Buffer, start: number, count: number): number | undefined {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const byte = bytes[i];
    if (byte === undefined || byte < 0x30 || byte > 0x39) return undefined;
    value = value * 10 + (byte - 0x30);
  }
  return value;
}

function fail(detail: string): ParsedIso2709 {
  return { ok: false, detail };
}

/** The directory entry's tag as text, for error messages only (the hot path keeps tag codes). */
function tagName(bytes: Buffer, entry: number): string {
  return bytes.toString('latin1', entry, entry + 3);
}
