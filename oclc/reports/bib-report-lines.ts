import { easternStamp } from './eastern-time.ts';
import { reportedName } from './report-name-limit.ts';

export type BibAction =
  'match' | 'create' | 'replace' | 'field transfer' | 'unresolved' | 'data error' | 'processing error';
export type ErrorType = 'Validation Error' | 'Data Error' | 'Processing Error';
export type Severity = 'CRITICAL' | 'SEVERE' | 'MINOR';

export type BibReportName =
  | 'BibProcessingReport'
  | 'BibExceptionReport'
  | 'BibCrossRefReport'
  | 'BibUnresolvedCrossRefReport'
  | 'LbdProcessingReport'
  | 'LbdExceptionReport';

export interface ReportNameParts {
  /** Encoded symbols as they appear in names (AB_64, not AB@). */
  senderSymbol: string;
  collectionSymbol: string;
  collectionId: string;
  kind: 'BIB' | 'LHR';
  receivedAt: number;
  originalName: string;
  report: string;
  /** A rerun's counter (OCLC's `_1`, `_2`), written right after the original name. */
  rerun?: number;
}

/**
 * `<SENDER>-<SYMBOL>.<collection id>.IN.<BIB|LHR>.D<YYYYMMDD>.T<HHMMSSmmm>.<original name>.<Report>.txt`,
 * date and time of receipt in US Eastern time. An original name too long for the result to fit
 * 255 bytes is shortened (`reportedName`), so processing never fails on the file system.
 */
export function reportFileName(parts: ReportNameParts): string {
  const { date, time } = easternStamp(parts.receivedAt);
  const sender = parts.senderSymbol.toUpperCase();
  const symbol = parts.collectionSymbol.toUpperCase();
  const name = reportedName(parts.originalName, sender, symbol);
  const original = parts.rerun === undefined ? name : `${name}_${parts.rerun}`;
  return `${sender}-${symbol}.${parts.collectionId}.IN.${parts.kind}.D${date}.T${time}.${original}.${parts.report}.txt`;
}

/**
 * The name of a rerun's copy of a report: OCLC puts the counter right after the uploaded name
 * (`….new.mrc_2.BibExceptionReport.txt`, seen in Princeton's reports), not before `.txt`.
 */
export function rerunReportName(name: string, rerun: number): string {
  return name.replace(/\.(\w+Report)\.txt$/, `_${rerun}.$1.txt`);
}

/** `<SENDER>_<collection id>_<received epoch ms>::bib::<n>`; the simulator's n is the byte offset. */
export function recordLocator(
  senderSymbol: string,
  collectionId: string,
  receivedAt: number,
  offset: number,
  kind = 'bib',
): string {
  return `${recordLocatorPrefix(senderSymbol, collectionId, receivedAt, kind)}${offset}`;
}

/** Everything of a file's locators but the offset: the same for every record of the file. */
export function recordLocatorPrefix(
  senderSymbol: string,
  collectionId: string,
  receivedAt: number,
  kind = 'bib',
): string {
  return `${senderSymbol.toUpperCase()}_${collectionId}_${receivedAt}::${kind}::`;
}

export interface ProcessingRow {
  locator: string;
  lsn: string;
  incomingOcn: string;
  worldcatOcn: string;
  action: BibAction;
}

export interface ExceptionRow {
  locator: string;
  lsn: string;
  incomingOcn: string;
  worldcatOcn: string;
  type: ErrorType;
  severity: Severity | '';
  message: string;
}

/** `|`, and every control character: TAB and line breaks, a MARC 0x1F or 0x1E, NUL, DEL. */
const unsafe = (code: number): boolean => code < 0x20 || code === 0x7c || code === 0x7f;

/**
 * A value as a report may carry it: a delimiter would break the row and a control byte (a MARC
 * subfield delimiter copied from a record) has no place in a text report, so each becomes a
 * space. Almost no value has one, so look before copying.
 */
export function cleanReportValue(value: string): string {
  let i = 0;
  while (i < value.length && !unsafe(value.charCodeAt(i))) i++;
  if (i === value.length) return value;
  let out = value.slice(0, i);
  for (; i < value.length; i++) {
    const code = value.charCodeAt(i);
    out += unsafe(code) ? ' ' : value[i];
  }
  return out;
}
const clean = cleanReportValue;

/** 5 `|` fields, no header. */
export function processingLine(row: ProcessingRow): string {
  return `${clean(row.locator)}|${clean(row.lsn)}|${clean(row.incomingOcn)}|${clean(row.worldcatOcn)}|${row.action}`;
}

/** 7 `|` fields, no header; LSN is empty for Data Errors, severity only for Validation Errors. */
export function exceptionLine(row: ExceptionRow): string {
  return [row.locator, row.lsn, row.incomingOcn, row.worldcatOcn, row.type, row.severity, row.message]
    .map(clean)
    .join('|');
}

/** TAB-delimited, no header: LSN then OCN. */
export function crossRefLine(lsn: string, ocn: string): string {
  return `${clean(lsn)}\t${clean(ocn)}`;
}

export const LBD_IN_USE_MESSAGE = 'New Record is trying to replace an In Use Local System Id';

/**
 * [OURS] OCLC does not publish LBD report columns: locator|LSN|OCN|LBD_CREATE or LBD_DELETE. The
 * simulator keeps one LSN → OCN link and nothing else of an LBD, so a record sent again with the
 * same OCN changes nothing there and has no LBD_UPDATE row.
 */
export function lbdProcessingLine(
  locator: string,
  lsn: string,
  ocn: string,
  action: 'LBD_CREATE' | 'LBD_DELETE',
): string {
  return [locator, lsn, ocn, action].map(clean).join('|');
}

/** [OURS] locator|LSN|OCN|LBD_REJECTED|message. */
export function lbdExceptionLine(locator: string, lsn: string, ocn: string, message: string): string {
  return [locator, lsn, ocn, 'LBD_REJECTED', message].map(clean).join('|');
}
