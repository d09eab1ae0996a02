/**
 * MARC-8 (ASCII G0 + ANSEL extended Latin G1) to and from Unicode, table-driven. npm has no
 * maintained MARC-8 codec, so this covers the Latin repertoire library records use; any other
 * character is written as MARC 21's lossless numeric character reference `&#xHHHH;`, which
 * MARC-8 readers (yaz among them) turn back into the character.
 */

/** ANSEL spacing graphics (G1 0xA1-0xC8). */
const SPACING: readonly (readonly [number, number])[] = [
  [0xa1, 0x0141],
  [0xa2, 0x00d8],
  [0xa3, 0x0110],
  [0xa4, 0x00de],
  [0xa5, 0x00c6],
  [0xa6, 0x0152],
  [0xa7, 0x02b9],
  [0xa8, 0x00b7],
  [0xa9, 0x266d],
  [0xaa, 0x00ae],
  [0xab, 0x00b1],
  [0xac, 0x01a0],
  [0xad, 0x01af],
  [0xae, 0x02bc],
  [0xb0, 0x02bb],
  [0xb1, 0x0142],
  [0xb2, 0x00f8],
  [0xb3, 0x0111],
  [0xb4, 0x00fe],
  [0xb5, 0x00e6],
  [0xb6, 0x0153],
  [0xb7, 0x02ba],
  [0xb8, 0x0131],
  [0xb9, 0x00a3],
  [0xba, 0x00f0],
  [0xbc, 0x01a1],
  [0xbd, 0x01b0],
  [0xc0, 0x00b0],
  [0xc1, 0x2113],
  [0xc2, 0x2117],
  [0xc3, 0x00a9],
  [0xc4, 0x266f],
  [0xc5, 0x00bf],
  [0xc6, 0x00a1],
  [0xc7, 0x00df],
  [0xc8, 0x20ac],
];

/** ANSEL combining diacritics (G1 0xE0-0xFE); MARC-8 writes them before the letter they mark. */
const COMBINING: readonly (readonly [number, number])[] = [
  [0xe0, 0x0309],
  [0xe1, 0x0300],
  [0xe2, 0x0301],
  [0xe3, 0x0302],
  [0xe4, 0x0303],
  [0xe5, 0x0304],
  [0xe6, 0x0306],
  [0xe7, 0x0307],
  [0xe8, 0x0308],
  [0xe9, 0x030c],
  [0xea, 0x030a],
  [0xeb, 0xfe20],
  [0xec, 0xfe21],
  [0xed, 0x0315],
  [0xee, 0x030b],
  [0xef, 0x0310],
  [0xf0, 0x0327],
  [0xf1, 0x0328],
  [0xf2, 0x0323],
  [0xf3, 0x0324],
  [0xf4, 0x0325],
  [0xf5, 0x0333],
  [0xf6, 0x0332],
  [0xf7, 0x0326],
  [0xf8, 0x031c],
  [0xf9, 0x032e],
  [0xfa, 0xfe22],
  [0xfb, 0xfe23],
  [0xfe, 0x0313],
];

/** MARC-8 controls that are also Unicode characters: joiners and the non-sorting markers. */
const CONTROLS: readonly (readonly [number, number])[] = [
  [0x8d, 0x200d],
  [0x8e, 0x200c],
  [0x88, 0x0098],
  [0x89, 0x009c],
];

const TO_MARC8 = new Map<number, number>([...SPACING, ...CONTROLS].map(([b, u]) => [u, b]));
const COMBINING_TO_MARC8 = new Map<number, number>(COMBINING.map(([b, u]) => [u, b]));
const FROM_MARC8 = new Map<number, number>([...SPACING, ...COMBINING, ...CONTROLS]);
const IS_COMBINING_BYTE = new Set(COMBINING.map(([b]) => b));

const isMark = (cp: number): boolean => /\p{M}/u.test(String.fromCodePoint(cp));
const ncr = (cp: number): number[] => [...Buffer.from(`&#x${cp.toString(16).toUpperCase()};`, 'latin1')];

/**
 * One base character and the marks that follow it, as MARC-8 bytes (marks first, as MARC-8
 * writes them). A precomposed letter ANSEL lacks is decomposed first; a cluster that still has a
 * part MARC-8 cannot write goes out whole as references, so no mark lands on the wrong letter.
 */
function encodeCluster(base: number, marks: readonly number[]): number[] {
  const direct = base < 0x80 ? base : TO_MARC8.get(base);
  if (direct !== undefined && marks.every((m) => COMBINING_TO_MARC8.has(m)))
    return [...marks.map((m) => COMBINING_TO_MARC8.get(m) ?? 0), direct];
  const decomposed = [...String.fromCodePoint(base).normalize('NFD')].map((c) => c.codePointAt(0) ?? 0);
  const [first = base, ...rest] = decomposed;
  if (decomposed.length > 1 && (first < 0x80 || TO_MARC8.has(first)))
    if ([...rest, ...marks].every((m) => COMBINING_TO_MARC8.has(m)))
      return encodeCluster(first, [...rest, ...marks]);
  const composed = String.fromCodePoint(base, ...marks).normalize('NFC');
  return [...composed].flatMap((c) => ncr(c.codePointAt(0) ?? 0));
}

/** Unicode text as MARC-8 bytes (default G0 ASCII, G1 ANSEL; no escape sequences needed). */
export function encodeMarc8(text: string): Buffer {
  const cps = [...text.normalize('NFC')].map((c) => c.codePointAt(0) ?? 0);
  const out: number[] = [];
  for (let i = 0; i < cps.length;) {
    const base = cps[i++] ?? 0;
    const marks: number[] = [];
    while (i < cps.length && isMark(cps[i] ?? 0)) marks.push(cps[i++] ?? 0);
    // A mark with no letter before it marks nothing MARC-8 can write: keep it as a reference.
    if (isMark(base)) {
      for (const m of [base, ...marks]) out.push(...ncr(m));
      continue;
    }
    out.push(...encodeCluster(base, marks));
  }
  return Buffer.from(out);
}

/**
 * MARC-8 bytes as Unicode (NFC). Handles ASCII, ANSEL, the joiners, numeric character references
 * and escapes back to ASCII/ANSEL; characters of other registered sets (Greek, Cyrillic, CJK…)
 * become U+FFFD, one per byte, since the simulator never writes them.
 */
export function decodeMarc8(bytes: Buffer): string {
  let out = '';
  let pending = '';
  let foreign = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b === 0x1b) {
      const { next, basic } = escapeSequence(bytes, i);
      foreign = !basic;
      i = next - 1;
      continue;
    }
    if (foreign && b > 0x20) {
      out += '\ufffd';
      continue;
    }
    if (IS_COMBINING_BYTE.has(b)) {
      pending += String.fromCodePoint(FROM_MARC8.get(b) ?? 0xfffd);
      continue;
    }
    const cp = b < 0x80 ? b : (FROM_MARC8.get(b) ?? 0xfffd);
    out += String.fromCodePoint(cp) + pending;
    pending = '';
  }
  return (out + pending)
    .replace(/&#x([0-9A-Fa-f]{1,6});/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .normalize('NFC');
}

/** Skips an escape sequence; `basic` when it selects ASCII or ANSEL again. */
function escapeSequence(bytes: Buffer, at: number): { next: number; basic: boolean } {
  let end = at + 1;
  while (end < bytes.length && (bytes[end] ?? 0) >= 0x20 && (bytes[end] ?? 0) <= 0x2f) end++;
  const final = bytes[end] ?? 0;
  const text = bytes.toString('latin1', at + 1, end + 1);
  const basic = final === 0x73 || text === '(B' || text === ')E' || text === ')!E';
  return { next: end + 1, basic };
}
