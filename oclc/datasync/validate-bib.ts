import type { MarcRecord } from '../marc/marc-record.ts';
import type { Severity } from '../reports/bib-report-lines.ts';

export interface ValidationIssue {
  severity: Severity;
  message: string;
}

const ILLUSTRATION_CODES = new Set(' abcdefghijklmop|');

/**
 * The simulator's validation set [OURS], using wording from real OCLC exception reports. OCLC's
 * full rule base is not public; these are the checks documented in the README.
 */
export function validateBib(record: MarcRecord): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const f008 = record.control('008');
  if (!record.has('245') || f008 === undefined) {
    issues.push({ severity: 'CRITICAL', message: 'Record is sparse.' });
    return issues;
  }
  for (const code of ['a', 'b']) {
    if (record.countSubfields('245', code) > 1) {
      issues.push({ severity: 'SEVERE', message: `$${code} in 245 occurs too many times.` });
    }
  }
  if (f008.length < 15) {
    issues.push({
      severity: 'SEVERE',
      message: 'Date2/Ending Date of Publication (008/11-14) is too short.',
    });
  }
  if (f008[6] === 's' && record.leader[7] === 'b') {
    issues.push({
      severity: 'SEVERE',
      message:
        'Invalid relationship - when Type of Date/Publication Status (008/06) is equal to s, then Bibliographic Level (Leader/07) must not be equal to b.',
    });
  }
  for (let i = 0; i < record.fieldCount; i++) {
    if (record.tagAt(i) === '509') issues.push({ severity: 'SEVERE', message: 'Invalid tag 509.' });
  }
  const rda = record.first('040', 'e') === 'rda';
  if (rda && !'ci'.includes(record.leader[18] ?? '')) {
    issues.push({
      severity: 'MINOR',
      message:
        'Invalid relationship - when 1st $e in 1st 040 is equal to rda, then Descriptive Cataloging Form (Leader/18) must equal c or i.',
    });
  }
  if (rda && !record.has('336')) {
    issues.push({
      severity: 'MINOR',
      message: 'Invalid relationship - when 1st $e in 1st 040 is equal to rda, then 336 must be present.',
    });
  }
  const isBook = record.leader[6] === 'a' && 'acdm'.includes(record.leader[7] ?? '');
  if (isBook && f008.length >= 22 && !validIllustrations(f008)) {
    issues.push({ severity: 'MINOR', message: 'Invalid code in Illustrations (008/18-21).' });
  }
  return issues;
}

function validIllustrations(f008: string): boolean {
  for (let i = 18; i < 22; i++) if (!ILLUSTRATION_CODES.has(f008[i] ?? '')) return false;
  return true;
}
