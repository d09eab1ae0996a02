import type { OutputKind } from '../../oclc/datasync/output-settings.ts';
import type { WorldCatChange } from '../worldcat/change-log.ts';

export interface PlannedRecord {
  ocn: string;
  lsn: string | undefined;
}

export type DeliveryPlan = Record<OutputKind, PlannedRecord[]>;

export interface PlanContext {
  symbol: string;
  collectionId: string;
  /** The collection a record held by this institution is delivered through (undefined: not held). */
  owningCollection(ocn: string): string | undefined;
}

/**
 * What one collection's delivery holds, from the changes since its last one: holdings its files
 * set that were not held before (new) and removed that were (deletes), netted per record; edits
 * of records it holds (updates); merges into records it holds (merges). A record both new and
 * edited goes out once, as new.
 */
export function planDelivery(changes: Iterable<WorldCatChange>, ctx: PlanContext): DeliveryPlan {
  const holdings = new Map<
    string,
    { first: 'held' | 'released'; last: 'held' | 'released'; lsn: string | undefined }
  >();
  const edited = new Set<string>();
  const merged = new Set<string>();
  for (const c of changes) {
    if (c.kind === 'held' || c.kind === 'released') {
      if (c.symbol !== ctx.symbol || c.collectionId !== ctx.collectionId) continue;
      const seen = holdings.get(c.ocn);
      holdings.set(c.ocn, { first: seen?.first ?? c.kind, last: c.kind, lsn: c.lsn ?? seen?.lsn });
    } else if (ctx.owningCollection(c.ocn) === ctx.collectionId) {
      (c.kind === 'edited' ? edited : merged).add(c.ocn);
    }
  }
  const plan: DeliveryPlan = { new: [], updates: [], deletes: [], merges: [] };
  for (const [ocn, h] of holdings) {
    if (h.first === 'held' && h.last === 'held') plan.new.push({ ocn, lsn: h.lsn });
    if (h.first === 'released' && h.last === 'released') plan.deletes.push({ ocn, lsn: h.lsn });
  }
  const isNew = new Set(plan.new.map((r) => r.ocn));
  for (const ocn of edited)
    if (!isNew.has(ocn) && !merged.has(ocn)) plan.updates.push({ ocn, lsn: undefined });
  for (const ocn of merged) if (!isNew.has(ocn)) plan.merges.push({ ocn, lsn: undefined });
  return plan;
}
