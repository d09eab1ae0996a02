import type { NameViolation } from '../../oclc/upload-name.ts';
import type { CollectionType } from '../config/simulator-config.ts';

/** One exception processing would report for a record, located as a person can find it. */
export interface CheckProblem {
  /** 1-based position of the record in the file. */
  record: number;
  /** Byte offset of the record. */
  offset: number;
  /** The record locator OCLC's reports would show (receipt time: the time of the check). */
  locator: string;
  lsn: string;
  ocn: string;
  /** 852 $b, for LHRs. */
  library: string;
  type: 'Data Error' | 'Validation Error' | 'Processing Error';
  severity: 'CRITICAL' | 'SEVERE' | 'MINOR' | '';
  /** OCLC's wording. */
  message: string;
  /** What the reader found, for Data Errors. */
  detail: string;
  /** Whether the record would be refused (kept out of WorldCat) rather than taken with a warning. */
  refused: boolean;
}

/** The upload name's verdict: accepted, or each rule it breaks and a corrected name. */
export interface NameCheckResult {
  name: string;
  ok: boolean;
  violations: NameViolation[];
  /** A name that passes every rule, when `ok` is false. */
  fixedName: string | undefined;
  /** The reasons and the name to use instead, as the SFTP server words its refusal. */
  message: string | undefined;
}

/** What `checkFile` found: the file's kind, the name check, record counts and the problems. */
export interface CheckResult {
  path: string;
  kind: CollectionType;
  /** Where the kind came from. */
  kindFrom: 'flag' | 'config' | 'records';
  /** The institution symbol the rules ran for, when one was known. */
  symbol: string | undefined;
  /** The upload-name check, when a name was given or the file's name looks like an upload name. */
  name: NameCheckResult | undefined;
  records: number;
  accepted: number;
  refused: number;
  /** Accepted records that still get an exception (SEVERE or MINOR). */
  warnings: number;
  /** Problems counted by OCLC's message. */
  byReason: Record<string, number>;
  /** The first `maxProblems` problems (every one is passed to `onProblem`). */
  problems: CheckProblem[];
  problemCount: number;
  /** At least one record, none refused, and the name (if checked) accepted. */
  ok: boolean;
  bytes: number;
  seconds: number;
  /** The exception report OCLC would deliver for this file, named as OCLC would name it. */
  exceptionReportName: string;
}
