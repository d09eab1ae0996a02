import type { Severity } from '../reports/bib-report-lines.ts';

/** Validation severities a collection may block (config `validation.block`), lower case as written. */
export const BLOCKABLE_SEVERITIES = ['critical', 'severe', 'minor'] as const;
export type BlockableSeverity = (typeof BLOCKABLE_SEVERITIES)[number];

/** OCLC's default: only CRITICAL validation errors keep a record out of WorldCat. */
export const DEFAULT_BLOCK: readonly BlockableSeverity[] = ['critical'];

/** Whether a report severity is one the collection blocks. */
export function blocks(block: readonly BlockableSeverity[], severity: Severity | ''): boolean {
  return severity !== '' && block.includes(severity.toLowerCase() as BlockableSeverity);
}

/**
 * One row of an LHR collection's 852 translation table (config `lhr.translation`): when every
 * subfield in `match` equals the record's first 852 subfield of that code, the subfields in `set`
 * replace it (OCLC's table turns local location codes into symbol and holding library code).
 */
export interface LhrTranslationRule {
  readonly match: Readonly<Record<string, string>>;
  readonly set: Readonly<Record<string, string>>;
}
