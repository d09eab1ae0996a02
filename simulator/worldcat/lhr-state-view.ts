import type { ExistingLhr, LhrStateView } from '../../oclc/datasync/decide-lhr-group.ts';
import type { Db } from '../storage/open-database.ts';

/**
 * The main database's LHRs and holdings, as the replace-all decision reads them. Tables still
 * empty (a first load, the largest files) are not queried at all: three lookups per OCN were
 * most of the time such a file took.
 */
export function lhrStateView(main: Db): LhrStateView {
  const existingFor = main.prepare('SELECT lsn, ocn, holding_library FROM lhrs WHERE symbol = ? AND ocn = ?');
  const existingLsn = main.prepare('SELECT 1 FROM lhrs WHERE symbol = ? AND lsn = ?');
  const hasHolding = main.prepare('SELECT 1 FROM holdings WHERE symbol = ? AND ocn = ?');
  const anyLhrs = main.prepare('SELECT 1 FROM lhrs LIMIT 1').get() !== undefined;
  const anyHoldings = main.prepare('SELECT 1 FROM holdings LIMIT 1').get() !== undefined;
  return {
    existing: (symbol, ocn) =>
      anyLhrs
        ? (existingFor.all(symbol, ocn) as { lsn: string; ocn: string; holding_library: string }[]).map(
            (e): ExistingLhr => ({ lsn: e.lsn, ocn: e.ocn, holdingLibrary: e.holding_library }),
          )
        : [],
    hasLsn: (symbol, lsn) => anyLhrs && existingLsn.get(symbol, lsn) !== undefined,
    hasHolding: (symbol, ocn) => anyHoldings && hasHolding.get(symbol, ocn) !== undefined,
  };
}
