/** The longest file name Linux file systems (and OCLC's) take, in bytes. */
export const NAME_MAX = 255;

/** The longest report kind: every report of a file must fit, so this one decides. */
const LONGEST_REPORT = 'BibUnresolvedCrossRefReport';
/** Reruns add `_1`, `_2` after the uploaded name; two digits are kept in reserve. */
const RERUN_RESERVE = '_99';
const HASH_LENGTH = 8;

/**
 * The most bytes an uploaded name may have so that every report named after it, reruns included,
 * fits NAME_MAX: `<SENDER>-<SYMBOL>.<id>.IN.BIB.D<date>.T<time>.<name>_99.<Report>.txt`. The one
 * length rule: the name rules, `check` and processing all ask it (symbols as in names, AB_64).
 */
export function maxReportedNameBytes(senderSymbol: string, collectionSymbol: string): number {
  const frame = `${senderSymbol}-${collectionSymbol}.1234567.IN.BIB.D20260101.T000000000.${RERUN_RESERVE}.${LONGEST_REPORT}.txt`;
  return NAME_MAX - Buffer.byteLength(frame);
}

/**
 * The uploaded name as report file names carry it: whole when it fits; otherwise its start, `~`
 * and 8 hex digits of its FNV-1a hash (oclc/ does no I/O, so no node:crypto): the reports of two
 * long names do not share a name, and a client can tell its own (see `reportedNameMatches`).
 */
export function reportedName(name: string, senderSymbol: string, collectionSymbol: string): string {
  const max = maxReportedNameBytes(senderSymbol, collectionSymbol);
  if (Buffer.byteLength(name) <= max) return name;
  const hash = fnv1a(name).toString(16).padStart(HASH_LENGTH, '0');
  return `${cutToBytes(name, max - HASH_LENGTH - 1)}~${hash}`;
}

/** Whether a report's name part (from parseReportName) stands for this uploaded name. */
export function reportedNameMatches(
  inReport: string,
  uploaded: string,
  senderSymbol: string,
  collectionSymbol: string,
): boolean {
  return inReport === uploaded || inReport === reportedName(uploaded, senderSymbol, collectionSymbol);
}

/** 32-bit FNV-1a over the UTF-8 bytes: stable, and enough to tell long names apart. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/** The longest start of `text` of at most `bytes` UTF-8 bytes, never cutting a character. */
export function cutToBytes(text: string, bytes: number): string {
  let out = '';
  let used = 0;
  for (const ch of text) {
    used += Buffer.byteLength(ch);
    if (used > bytes) break;
    out += ch;
  }
  return out;
}
