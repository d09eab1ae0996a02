import { createHash } from 'node:crypto';

/**
 * A stand-in for the institution's WorldCat Registry ID (OCLC's `institutionCode` and
 * `contextInstitutionId`): the simulator has no registry, so six digits derived from the symbol,
 * the same on every run.
 */
export function institutionCode(symbol: string): string {
  const n = createHash('sha256').update(symbol.toUpperCase()).digest().readUInt32BE(0);
  return String(100_000 + (n % 900_000));
}
