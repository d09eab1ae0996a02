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
 * out is `removed-by-replace`; a group of deletes only deletes those LSNs. An LHR needs a holding:
 * a missing one is set, with a note.
 */
export function decideLhrGroup<T extends LhrEntry>(
  group: readonly T[],
  state: LhrStateView,
): LhrGroupDecision<T> {
  const first = group[0];
  if (!first) return { rows: [], replaceAll: false, inserts: [], deleteLsns: [], setHolding: undefined };
  const row = (s: T, action: LhrAction): LhrRow<T> => ({
    action,
    lsn: s.lsn,
    ocn: s.ocn,
    holdingLibrary: s.holdingLibrary,
    at: s,
  });
  const sets = group.filter((s) => s.op === 'set');
  if (sets.length === 0) {
    return {
      rows: group.map((s) => row(s, 'delete')),
      replaceAll: false,
      inserts: [],
      deleteLsns: group.map((s) => s.lsn),
      setHolding: undefined,
    };
  }
  const existing = state.existing(first.symbol, first.ocn);
  const existingLsns = new Set(existing.map((e) => e.lsn));
  const rows = group.map((s) =>
    row(
      s,
      s.op === 'delete'
        ? 'delete'
        : existingLsns.has(s.lsn) || state.hasLsn(s.symbol, s.lsn)
          ? 'replace'
          : 'create',
    ),
  );
  const named = new Set(group.map((s) => s.lsn));
  for (const e of existing) {
    if (!named.has(e.lsn)) rows.push({ ...e, action: 'removed-by-replace', at: first });
  }
  const setHolding = state.hasHolding(first.symbol, first.ocn)
    ? undefined
    : { at: first, message: `${first.symbol} had no WorldCat holding on ${first.ocn}; the LHR set it.` };
  return { rows, replaceAll: true, inserts: sets, deleteLsns: [], setHolding };
}
