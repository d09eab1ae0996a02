import type { Db } from '../storage/open-database.ts';

export interface BibLookups {
  /** The OCN an institution's local system number is attached to (its LBD), if any. */
  lbdOcn(lsn: string): string | null;
  /** The OCN a match key (ISBN, LCCN, title and date) finds. */
  keyOcn(key: string): string | undefined;
  /** Whether this institution created the record with this OCN here. */
  createdBy(ocn: string, symbol: string): boolean;
}

/**
 * The WorldCat reads bib processing makes for one institution's file. Tables still empty (a first
 * load) are not queried at all: most of such a file's time went to lookups that find nothing.
 */
export function bibLookups(main: Db, symbol: string): BibLookups {
  const hasLbd = Boolean(main.prepare('SELECT 1 FROM lbd WHERE symbol = ? LIMIT 1').get(symbol));
  const hasKeys = Boolean(main.prepare('SELECT 1 FROM worldcat_keys LIMIT 1').get());
  const lbd = main.prepare('SELECT ocn FROM lbd WHERE symbol = ? AND lsn = ?');
  const key = main.prepare('SELECT ocn FROM worldcat_keys WHERE key = ?');
  const created = main.prepare('SELECT 1 FROM worldcat_created WHERE ocn = ? AND symbol = ?');
  return {
    lbdOcn: (lsn) => (hasLbd ? ((lbd.get(symbol, lsn) as { ocn: string } | undefined)?.ocn ?? null) : null),
    keyOcn: (k) => (hasKeys ? (key.get(k) as { ocn: string } | undefined)?.ocn : undefined),
    createdBy: (ocn, s) => Boolean(created.get(ocn, s)),
  };
}
