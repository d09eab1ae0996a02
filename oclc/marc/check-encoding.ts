import { isUtf8 } from 'node:buffer';
import type { MarcRecord } from './marc-record.ts';

export type EncodingProblem = { code: 'invalid_characters_present' | 'crosswalk_error'; detail: string };

/**
 * Leader/09 `a` promises UTF-8 and blank promises MARC-8; the bytes must keep that promise.
 * Nothing is decoded: the check reads bytes only.
 */
export function checkEncoding(record: MarcRecord): EncodingProblem | undefined {
  const scheme = record.leader[9];
  if (scheme !== 'a' && scheme !== ' ') {
    return {
      code: 'crosswalk_error',
      detail: `Leader/09 is "${scheme ?? ''}"; it must be "a" (UTF-8) or blank (MARC-8)`,
    };
  }
  // Leader, directory and separators are ASCII, so one check of all the bytes answers for UTF-8.
  if (scheme === 'a' && isUtf8(record.bytes)) return undefined;
  for (const field of record.fields) {
    const ok = scheme === 'a' ? isUtf8(field.data) : isMarc8(field.data);
    if (!ok) {
      const name = scheme === 'a' ? 'UTF-8 (Leader/09 is a)' : 'MARC-8 (Leader/09 is blank)';
      return { code: 'invalid_characters_present', detail: `field ${field.tag} is not valid ${name}` };
    }
  }
  return undefined;
}

const ESC = 0x1b;

/**
 * MARC-8 byte structure: ASCII, ANSEL graphics (0xA1-0xFE), the four MARC-8 controls
 * (0x88 0x89 0x8D 0x8E), and well-formed escape sequences to the registered character sets.
 * Multibyte sets (EACC, ESC $ 1) take bytes in threes. Other C1 bytes (0x80-0xA0), 0xFF, a broken
 * escape and a combining mark with nothing after it are invalid; most UTF-8 mislabelled as MARC-8
 * trips on its continuation bytes 0x80-0xA0.
 */
export function isMarc8(bytes: Buffer): boolean {
  let multibyte = false;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b === ESC) {
      const length = escapeLength(bytes, i);
      if (length === 0) return false;
      multibyte = bytes[i + 1] === 0x24 && length >= 3 && bytes[i + length - 1] === 0x31;
      i += length;
      continue;
    }
    if (multibyte && b >= 0x21 && b !== 0x7f && b !== 0x1f && b !== 0x1e) {
      if (i + 3 > bytes.length) return false;
      i += 3;
      continue;
    }
    if (b >= 0x80 && !isMarc8High(b)) return false;
    // ANSEL combining marks (0xE0-0xFE) precede the letter they modify; one cannot end a value.
    if (b >= 0xe0 && !isBase(bytes[i + 1])) return false;
    i++;
  }
  return true;
}

function isBase(next: number | undefined): boolean {
  return next !== undefined && next !== 0x1f && next !== 0x1e && next !== 0x1d;
}

function isMarc8High(b: number): boolean {
  return b === 0x88 || b === 0x89 || b === 0x8d || b === 0x8e || (b >= 0xa1 && b <= 0xfe);
}

/** Length of a valid escape sequence at `i`, or 0. */
function escapeLength(bytes: Buffer, i: number): number {
  const next = bytes[i + 1];
  // Technique 1: greek/subscript/superscript and back to ASCII.
  if (next === 0x67 || next === 0x62 || next === 0x70 || next === 0x73) return 2;
  // Technique 2: ESC ( , ) - $ [ , ) - ] F
  const g0g1 = new Set([0x28, 0x2c, 0x29, 0x2d]);
  if (next !== undefined && g0g1.has(next)) return isFinal(bytes[i + 2]) ? 3 : 0;
  if (next === 0x24) {
    const third = bytes[i + 2];
    if (third !== undefined && g0g1.has(third)) return isFinal(bytes[i + 3]) ? 4 : 0;
    return isFinal(third) ? 3 : 0;
  }
  return 0;
}

function isFinal(b: number | undefined): boolean {
  // Registered final characters: ASCII B, ANSEL E, Greek S, Cyrillic N Q, Arabic 3 4, Hebrew 2, EACC 1, subscripts b p s g.
  return (
    b !== undefined &&
    [0x42, 0x45, 0x53, 0x4e, 0x51, 0x33, 0x34, 0x32, 0x31, 0x62, 0x70, 0x73, 0x67, 0x21].includes(b)
  );
}
