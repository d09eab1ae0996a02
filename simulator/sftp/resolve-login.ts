import { encodeSymbol, firstUnencodedCharacter } from '../../oclc/symbol-encoding.ts';
import type { Institution } from '../config/simulator-config.ts';

export type LoginResolution =
  | { ok: true; institution: Institution; account: string; legacy: boolean }
  | { ok: false; reason: string; explanation: string | undefined };

/**
 * Maps a login name to its institution: `fx_<symbol>` or the legacy bare symbol, lower case,
 * with @ $ # encoded. Near misses get an explanation the server shows in a userauth banner.
 */
export function resolveLogin(user: string, institutions: readonly Institution[]): LoginResolution {
  for (const institution of institutions) {
    if (user === institution.accounts.current) return { ok: true, institution, account: user, legacy: false };
    if (user === institution.accounts.legacy) return { ok: true, institution, account: user, legacy: true };
  }
  const lower = encodeSymbol(user).toLowerCase();
  const nearMiss = institutions.find((i) => i.accounts.current === lower || i.accounts.legacy === lower);
  if (!nearMiss) return { ok: false, reason: 'no such account', explanation: undefined };
  const special = firstUnencodedCharacter(user);
  const fixed = lower.startsWith('fx_') ? nearMiss.accounts.current : nearMiss.accounts.legacy;
  const reason = special
    ? `'${special.char}' in the user name must be written '${special.code}'`
    : 'user names are lower case';
  return { ok: false, reason, explanation: `Failed to log in as "${user}": ${reason}. Log in as ${fixed}.` };
}
