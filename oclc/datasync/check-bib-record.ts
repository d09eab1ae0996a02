import type { MarcRecord } from '../marc/marc-record.ts';
import type { ErrorType, Severity } from '../reports/bib-report-lines.ts';
import { blocks, DEFAULT_BLOCK, type BlockableSeverity } from './collection-settings.ts';
import { incomingOcn, localSystemNumber, type OcnSource } from './ocn.ts';
import { validateBib } from './validate-bib.ts';

export interface BibRules {
  symbol: string;
  collectionType: 'bib' | 'delete-holdings';
  ocnSource: OcnSource;
  lsnFields: readonly string[];
  /**
   * The records are rows of a key list (CSV delete list, numeric search keys): search keys, not
   * descriptions, so they are not validated as bib records and never create a WorldCat record.
   */
  keysOnly?: boolean;
  /**
   * The symbols a key list's `Library Code` may name (the sender and those it uploads for, as
   * UMN's group UMMBL sends delete lists for MNU, MND, ...); its rows change that symbol's holdings.
   */
  allowedSymbols?: readonly string[];
  /** Validation severities that keep a record out of WorldCat (`validation.block`; OCLC: CRITICAL). */
  block?: readonly BlockableSeverity[];
  /** `none`: records are matched and created but no holding is set or cancelled (`holdings`). */
  holdings?: 'set' | 'none';
}

export interface RecordException {
  type: ErrorType;
  severity: Severity | '';
  message: string;
}

export interface BibRecordCheck {
  lsn: string;
  incomingOcn: string;
  /** Every exception the record gets whatever WorldCat holds. */
  exceptions: RecordException[];
  /**
   * `no-lsn`: a Processing Error; `blocked`: a validation error of a severity the collection
   * blocks (CRITICAL by default) keeps it out of WorldCat (unresolved); `ok`: WorldCat decides
   * (the other issues are still reported).
   */
  verdict: 'no-lsn' | 'blocked' | 'ok';
}

/** The part of Data Sync's bib decision that needs no WorldCat: the LSN, the OCN read, validation. */
export function checkBibRecord(
  record: MarcRecord,
  rules: Pick<BibRules, 'ocnSource' | 'lsnFields' | 'block'>,
): BibRecordCheck {
  const lsn = localSystemNumber(record, rules.lsnFields) ?? '';
  const incoming = incomingOcn(record, rules.ocnSource) ?? '';
  if (!lsn) {
    return {
      lsn,
      incomingOcn: incoming,
      verdict: 'no-lsn',
      exceptions: [
        {
          type: 'Processing Error',
          severity: '',
          message: `Local system number not found in ${rules.lsnFields.join(', ')}.`,
        },
      ],
    };
  }
  const issues = validateBib(record);
  if (issues.length === 0) return { lsn, incomingOcn: incoming, exceptions: NONE, verdict: 'ok' };
  const exceptions: RecordException[] = issues.map((i) => ({
    type: 'Validation Error',
    severity: i.severity,
    message: i.message,
  }));
  const block = rules.block ?? DEFAULT_BLOCK;
  const blocked = issues.some((i) => blocks(block, i.severity));
  return { lsn, incomingOcn: incoming, exceptions, verdict: blocked ? 'blocked' : 'ok' };
}

/** The exceptions of most records: shared, never written to. */
const NONE: RecordException[] = [];
