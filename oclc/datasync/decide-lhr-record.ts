import type { MarcRecord } from '../marc/marc-record.ts';
import { findSymbol } from '../symbol-encoding.ts';
import type { LhrTranslationRule } from './collection-settings.ts';
import { readLhr, type LhrOcnSource, type LocalHoldingsRecord } from './read-lhr.ts';

export interface LhrRules {
  ocnField: LhrOcnSource;
  collectionType: 'lhr' | 'delete-lhr';
  /**
   * Symbols 852 $a may name (the uploading institution and those it uploads for, real spelling);
   * undefined when nobody is known to be sending, as in `check` without a symbol: not checked then.
   */
  allowedSymbols: readonly string[] | undefined;
  /** The collection's 852 translation table (`lhr.translation`); none: the 852 as sent. */
  translation?: readonly LhrTranslationRule[];
}

/** One LHR the file asks for, with 852 $a spelled as the institution's symbol. */
export interface LhrEntry extends LocalHoldingsRecord {
  op: 'set' | 'delete';
}

export interface LhrRefusal {
  lsn: string;
  ocn: string;
  library: string;
  type: 'Validation Error';
  severity: 'CRITICAL';
  message: string;
}

export type LhrRecordDecision = { ok: true; lhr: LhrEntry } | { ok: false; refusal: LhrRefusal };

/**
 * What Data Sync does with one readable MFHD record before it looks at WorldCat: refuses it
 * (OCLC's LHR rules, or an 852 $a this account may not send), or takes it as a set or a delete
 * (Leader/05 `d`, or any record in a delete-lhr collection).
 */
export function decideLhrRecord(record: MarcRecord, rules: LhrRules): LhrRecordDecision {
  const reading = readLhr(record, rules.ocnField, rules.translation);
  const refuse = (r: { lsn: string; ocn: string; library: string; message: string }): LhrRecordDecision => ({
    ok: false,
    refusal: { ...r, type: 'Validation Error', severity: 'CRITICAL' },
  });
  if (!reading.ok) return refuse(reading);
  const { lhr } = reading;
  const symbol =
    rules.allowedSymbols === undefined ? lhr.symbol : findSymbol(lhr.symbol, rules.allowedSymbols);
  if (symbol === undefined) {
    return refuse({
      lsn: lhr.lsn,
      ocn: lhr.ocn,
      library: lhr.holdingLibrary,
      message: `852 $a "${lhr.symbol}" is not ${(rules.allowedSymbols ?? []).join(' or ')}: this account cannot send holdings for it.`,
    });
  }
  const op = rules.collectionType === 'delete-lhr' || lhr.isDelete ? 'delete' : 'set';
  // Written out, not spread: a spread copy per record cost more than reading the record.
  const entry: LhrEntry = {
    lsn: lhr.lsn,
    ocn: lhr.ocn,
    symbol,
    holdingLibrary: lhr.holdingLibrary,
    location: lhr.location,
    callNumber: lhr.callNumber,
    barcodes: lhr.barcodes,
    isDelete: lhr.isDelete,
    op,
  };
  return { ok: true, lhr: entry };
}
