import type { MarcRecord } from '../marc/marc-record.ts';
import { matchKeys } from './match-keys.ts';
import type { BibAction } from '../reports/bib-report-lines.ts';
import {
  checkBibRecord,
  type BibRecordCheck,
  type BibRules,
  type RecordException,
} from './check-bib-record.ts';
import { findSymbol } from '../symbol-encoding.ts';

export interface WorldCatView {
  /** Current number for an OCN: itself, the record it was merged into, or undefined if deleted. */
  resolve(ocn: string): string | undefined;
  fullMatch(keys: readonly string[]): string | undefined;
  /** Whether this institution created the record through Data Sync (it may then replace it). */
  createdBy(ocn: string, symbol: string): boolean;
}

export interface BibDecision {
  lsn: string;
  incomingOcn: string;
  /** Empty when the caller must assign a number (`needs`). */
  worldcatOcn: string;
  action: BibAction;
  holdings: 'set' | 'cancel' | 'none';
  exceptions: RecordException[];
  needs: 'new-ocn' | 'provisional-ocn' | undefined;
  /** Keys the new WorldCat record can be matched by later. */
  keys: string[];
  /** Whose holding changes: a key list row's Library Code; undefined for the collection's institution. */
  holder: string | undefined;
}

/**
 * What Data Sync does with one readable bib record [OURS where OCLC is silent; see README]:
 * CRITICAL → unresolved; an OCN (or merged OCN) → match, replace or field transfer; no OCN →
 * full match, else create when the record is full enough, else unresolved. SEVERE never creates
 * or replaces. Leader/05 `d` (or a delete-holdings collection) cancels instead of setting.
 */
export function decideBibRecord(record: MarcRecord, rules: BibRules, worldcat: WorldCatView): BibDecision {
  const checked: BibRecordCheck & { holder?: string } = rules.keysOnly
    ? checkKeys(record, rules)
    : checkBibRecord(record, rules);
  const { lsn, incomingOcn: incoming, exceptions, holder } = checked;
  // Each outcome is one object literal of one shape: a million records each copying a base object
  // with spreads cost more than the decision itself.
  const decided = (
    worldcatOcn: string,
    action: BibAction,
    holdings: BibDecision['holdings'],
    needs: BibDecision['needs'] = undefined,
    keys: string[] = NO_KEYS,
  ): BibDecision => ({
    lsn,
    incomingOcn: incoming,
    worldcatOcn,
    action,
    holdings,
    exceptions,
    needs,
    keys,
    holder,
  });
  // No LSN, or a key list row naming a symbol it may not: a Processing Error, nothing changes.
  if (checked.verdict === 'no-lsn') return decided('', 'processing error', 'none');
  // Unresolved: kept out of WorldCat with a provisional number, no holdings.
  if (checked.verdict === 'blocked') return decided('', 'unresolved', 'none', 'provisional-ocn');
  // A SEVERE or an unblocked CRITICAL error still never creates or replaces a WorldCat record.
  let severe = false;
  for (const e of exceptions) severe ||= e.severity === 'SEVERE' || e.severity === 'CRITICAL';
  const isDelete = rules.collectionType === 'delete-holdings' || record.leader[5] === 'd';
  const holdings = rules.holdings === 'none' ? 'none' : isDelete ? 'cancel' : 'set';

  const byNumber = incoming ? worldcat.resolve(incoming) : undefined;
  if (byNumber) {
    let action: BibAction = 'match';
    if (!isDelete && !severe && record.leader[17] === ' ' && worldcat.createdBy(byNumber, rules.symbol))
      action = 'replace';
    else if (!isDelete && !severe && (record.has('505') || record.has('520'))) action = 'field transfer';
    return decided(byNumber, action, holdings);
  }
  const keys = matchKeys(record);
  const matched = worldcat.fullMatch(keys);
  if (matched) return decided(matched, 'match', holdings);
  if (isDelete || severe || rules.keysOnly || !fullEnough(record))
    return decided('', 'unresolved', 'none', 'provisional-ocn');
  return decided('', 'create', holdings, 'new-ocn', keys);
}

/** Shared by every decision that creates nothing (never written to). */
const NO_KEYS: string[] = [];

/** Enough to create a WorldCat record [OURS]: title, a full 008, a main entry or imprint, and a 300. */
const MAIN_OR_IMPRINT = ['100', '110', '111', '130', '260', '264'];

export function fullEnough(record: MarcRecord): boolean {
  let hasMainOrImprint = false;
  for (const tag of MAIN_OR_IMPRINT) hasMainOrImprint ||= record.has(tag);
  return (
    Boolean(record.first('245', 'a')) &&
    (record.control('008')?.length ?? 0) >= 40 &&
    hasMainOrImprint &&
    record.has('300')
  );
}

/**
 * A key-list row has only its LSN, keys and Library Code to check: no description to validate. A
 * Library Code must name a symbol the sender may change holdings for [OURS]: a Processing Error.
 */
function checkKeys(record: MarcRecord, rules: BibRules): BibRecordCheck & { holder: string | undefined } {
  const checked = checkBibRecord(record, rules);
  if (checked.verdict === 'no-lsn') return { ...checked, holder: undefined };
  const code = record.first('049', 'a')?.trim() ?? '';
  const allowed = rules.allowedSymbols;
  if (code === '' || allowed === undefined)
    return { ...checked, exceptions: [], verdict: 'ok', holder: undefined };
  const holder = findSymbol(code, allowed);
  if (holder !== undefined) return { ...checked, exceptions: [], verdict: 'ok', holder };
  const message = `Library Code "${code}" is not ${allowed.join(' or ')}: this collection cannot change its holdings.`;
  return {
    ...checked,
    exceptions: [{ type: 'Processing Error', severity: '', message }],
    verdict: 'no-lsn',
    holder: undefined,
  };
}
