import { DataSyncError } from '../../oclc/error-catalogue.ts';
import type { Institution } from './simulator-config.ts';

/** Accepts the symbol as OCLC spells it (AB@, URL-encoded) or as written in names (AB_64), any case. */
export function findInstitution(institutions: readonly Institution[], symbol: string): Institution {
  const wanted = symbol.toLowerCase();
  const found = institutions.find(
    (i) => i.symbol.toLowerCase() === wanted || i.encodedSymbol.toLowerCase() === wanted,
  );
  if (!found) {
    const known = institutions.map((i) => i.symbol).join(', ');
    throw new DataSyncError('NOT_FOUND', {
      subject: `institution ${symbol}`,
      reason: `the configured institutions are ${known}`,
    });
  }
  return found;
}
