import type { LhrAction } from '../reports/lhr-report-lines.ts';
import type { LhrEntry } from './decide-lhr-record.ts';

export interface ExistingLhr {
  lsn: string;
  ocn: string;
  holdingLibrary: string;
}

/** What the replace-all decision needs to know about one institution's current state. */
export interface LhrStateView {
  /** The institution's LHRs attached to this OCN now. */
  existing(symbol: string, ocn: string): ExistingLhr[];
  /** Whether the institution has an LHR with this LSN on any OCN. */
  hasLsn(symbol: string, lsn: string): boolean;
  hasHolding(symbol: string, ocn: string): boolean;
}

export interface LhrRow<T> {
  action: LhrAction;
  lsn: string;
  ocn: string;
  holdingLibrary: string;
  /** The record the row is reported at (its locator); the group's first for `removed-by-replace`. */
  at: T;
}

export interface LhrGroupDecision<T> {
  rows: LhrRow<T>[];
  /** Delete every existing LHR of (symbol, OCN) before inserting `inserts`. */
  replaceAll: boolean;
  inserts: T[];
  /** Single LHRs deleted when the group only deletes. */
  deleteLsns: string[];
  /** Set the WorldCat holding the LHRs hang on (it was missing), with a MINOR note. */
  setHolding: { at: T; message: string } | undefined;
}

/**
 * OCLC's replace-all rule for one (symbol, OCN) group of a file: when the group sets any LHR, the
 * institution's existing LHRs on that OCN are all replaced by the group's, so an LHR the file leaves
 * out is `removed-by-replace`; a group of deletes only deletes those LSNs. Records are taken in
 * file order, so a later record of an LSN wins and a second copy replaces the first; a delete of
 * an LHR the institution does not have is `not found` and changes nothing [OURS]. An LHR needs a
 * holding: a missing one is set, with a note.
 */
export function decideLhrGroup<T extends LhrEntry>(
  group: readonly T[],
  state: LhrStateView,
): LhrGroupDecision<T> {
  const first = group[0];
  if (!first) return { rows: [], replaceAll: false, inserts: [], deleteLsns: [], setHolding: undefined };
  const replaceAll = group.some((s) => s.op === 'set');
  const existing = replaceAll ? state.existing(first.symbol, first.ocn) : [];
  const existingLsns = new Set(existing.map((e) => e.lsn));
  // Whether each LSN has an LHR as the file is read: before it, then after each of its records.
  const now = new Map<string, boolean>();
  const has = (s: T): boolean => now.get(s.lsn) ?? (existingLsns.has(s.lsn) || state.hasLsn(s.symbol, s.lsn));
  const rows: LhrRow<T>[] = [];
  const last = new Map<string, T>();
  const deleted = new Set<string>();
  for (const s of group) {
    const held = has(s);
    const action: LhrAction = s.op === 'set' ? (held ? 'replace' : 'create') : held ? 'delete' : 'not found';
    rows.push({ action, lsn: s.lsn, ocn: s.ocn, holdingLibrary: s.holdingLibrary, at: s });
    now.set(s.lsn, s.op === 'set');
    last.set(s.lsn, s);
    if (action === 'delete') deleted.add(s.lsn);
  }
  const final = [...last.values()];
  const inserts = group.filter((s) => s.op === 'set' && last.get(s.lsn)?.op === 'set');
  const deleteLsns = final.filter((s) => s.op === 'delete' && deleted.has(s.lsn)).map((s) => s.lsn);
  if (!replaceAll) return { rows, replaceAll, inserts, deleteLsns, setHolding: undefined };
  for (const e of existing) {
    if (!last.has(e.lsn)) rows.push({ ...e, action: 'removed-by-replace', at: first });
  }
  const setHolding = state.hasHolding(first.symbol, first.ocn)
    ? undefined
    : { at: first, message: `${first.symbol} had no WorldCat holding on ${first.ocn}; the LHR set it.` };
  return { rows, replaceAll, inserts, deleteLsns, setHolding };
}
