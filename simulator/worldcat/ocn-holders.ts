import type { Db } from '../storage/open-database.ts';

/** A file by id and name (the name is null when the upload was forgotten). */
export interface FileRef {
  id: number;
  name: string | null;
}

/** One institution's stake in an OCN, and where each part of it came from. */
export interface OcnHolder {
  symbol: string;
  /** The holding, and the file whose commit set it last (null: set without a file). */
  holding: { setBy: FileRef | null } | null;
  lhrs: { lsn: string; holdingLibrary: string; callNumber: string; setBy: FileRef }[];
  /** The institution's local record (LSN) the OCN is linked to (the LBD). */
  lsns: string[];
}

/**
 * Which institutions hold an OCN and why, looked up per configured symbol so every query uses a
 * primary key (a scan by OCN alone would read every holding). `created` says whose file made the
 * record, when one of ours did.
 */
export function ocnHolders(
  db: Db,
  ocn: string,
  symbols: readonly string[],
): { holders: OcnHolder[]; created: { symbol: string; lsn: string | null; by: FileRef | null } | null } {
  const holdingQ = db.prepare(
    'SELECT h.file_id, u.name FROM holdings h LEFT JOIN uploads u ON u.id = h.file_id WHERE h.symbol = ? AND h.ocn = ?',
  );
  const lhrQ = db.prepare(
    `SELECT l.lsn, l.holding_library, l.call_number, l.file_id, u.name FROM lhrs l
     LEFT JOIN uploads u ON u.id = l.file_id WHERE l.symbol = ? AND l.ocn = ? ORDER BY l.lsn`,
  );
  const lbdQ = db.prepare('SELECT lsn FROM lbd WHERE symbol = ? AND ocn = ? ORDER BY lsn');
  const holders: OcnHolder[] = [];
  for (const symbol of symbols) {
    const h = holdingQ.get(symbol, ocn) as { file_id: number | null; name: string | null } | undefined;
    const lhrs = (
      lhrQ.all(symbol, ocn) as {
        lsn: string;
        holding_library: string;
        call_number: string;
        file_id: number;
        name: string | null;
      }[]
    ).map((l) => ({
      lsn: l.lsn,
      holdingLibrary: l.holding_library,
      callNumber: l.call_number,
      setBy: { id: l.file_id, name: l.name },
    }));
    const lsns = (lbdQ.all(symbol, ocn) as { lsn: string }[]).map((r) => r.lsn);
    if (!h && lhrs.length === 0 && lsns.length === 0) continue;
    holders.push({
      symbol,
      holding: h ? { setBy: h.file_id === null ? null : { id: h.file_id, name: h.name } } : null,
      lhrs,
      lsns,
    });
  }
  const c = db
    .prepare(
      'SELECT c.symbol, c.lsn, c.file_id, u.name FROM worldcat_created c LEFT JOIN uploads u ON u.id = c.file_id WHERE c.ocn = ?',
    )
    .get(ocn) as
    { symbol: string; lsn: string | null; file_id: number | null; name: string | null } | undefined;
  const created = c
    ? { symbol: c.symbol, lsn: c.lsn, by: c.file_id === null ? null : { id: c.file_id, name: c.name } }
    : null;
  return { holders, created };
}
