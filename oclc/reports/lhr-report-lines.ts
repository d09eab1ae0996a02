import { cleanReportValue } from './bib-report-lines.ts';

/** [OURS] OCLC does not publish LHR report columns; these follow the bib reports' style. */
/** `not found`: a delete of an LHR the institution does not have; nothing changes. */
export type LhrAction = 'create' | 'replace' | 'delete' | 'not found' | 'removed-by-replace';

export type LhrReportName = 'LhrProcessingReport' | 'LhrExceptionReport';

const clean = cleanReportValue;

/** `locator|LSN|OCN|852 $b|action`. */
export function lhrProcessingLine(row: {
  locator: string;
  lsn: string;
  ocn: string;
  library: string;
  action: LhrAction;
}): string {
  return [row.locator, row.lsn, row.ocn, row.library, row.action].map(clean).join('|');
}

/** `locator|LSN|OCN|852 $b|type|severity|message`. */
export function lhrExceptionLine(row: {
  locator: string;
  lsn: string;
  ocn: string;
  library: string;
  type: 'Validation Error' | 'Data Error' | 'Processing Error' | 'Note';
  severity: 'CRITICAL' | 'SEVERE' | 'MINOR' | '';
  message: string;
}): string {
  return [row.locator, row.lsn, row.ocn, row.library, row.type, row.severity, row.message]
    .map(clean)
    .join('|');
}
