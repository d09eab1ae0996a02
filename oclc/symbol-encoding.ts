/**
 * OCLC writes `@ $ #` in institution symbols as `_64 _36 _35` wherever a symbol appears
 * (user names, folders, file names), because the raw characters halt processing.
 */
export const SYMBOL_CHARACTER_CODES: Readonly<Record<string, string>> = Object.freeze({
  '@': '_64',
  $: '_36',
  '#': '_35',
});

const UNENCODED = /[@$#]/g;

/** Writes an OCLC symbol as names and folders carry it: `@ $ #` become `_64 _36 _35`. */
export function encodeSymbol(symbol: string): string {
  return symbol.replace(UNENCODED, (ch) => SYMBOL_CHARACTER_CODES[ch] ?? ch);
}

export function hasUnencodedCharacters(text: string): boolean {
  return /[@$#]/.test(text);
}

/** The first unencoded special character in `text`, with its code, or undefined. */
export function firstUnencodedCharacter(text: string): { char: string; code: string } | undefined {
  const match = /[@$#]/.exec(text);
  if (!match) return undefined;
  const char = match[0];
  return { char, code: SYMBOL_CHARACTER_CODES[char] ?? char };
}

/** Both login names OCLC accepts for a symbol: `fx_<symbol>` and the legacy bare symbol. */
export function accountNamesFor(symbol: string): { current: string; legacy: string } {
  const encoded = encodeSymbol(symbol).toLowerCase();
  return { current: `fx_${encoded}`, legacy: encoded };
}

/** The real symbol from its encoded spelling (`AB_64` → `AB@`). */
export function decodeSymbol(encoded: string): string {
  return encoded.replace(/_(64|36|35)/g, (code) => ({ _64: '@', _36: '$', _35: '#' })[code] ?? code);
}

/**
 * Which of `allowed` a symbol written in a record (852 $a, a key list's Library Code) names: as
 * written or encoded (AB@ or AB_64), in any case; undefined when none.
 */
export function findSymbol(written: string, allowed: readonly string[]): string | undefined {
  const lower = written.trim().toLowerCase();
  return allowed.find((s) => s.toLowerCase() === lower || encodeSymbol(s).toLowerCase() === lower);
}
