import type { MarcRecord } from '../marc/marc-record.ts';
import type { LhrTranslationRule } from './collection-settings.ts';

/** The 852 subfields as processing reads them: the first of each code, translated or as sent. */
export type Field852 = (code: string) => string | undefined;

export type Translation852 = { ok: true; field: Field852 } | { ok: false; message: string };

/**
 * Applies an LHR collection's 852 translation table [OCLC: records need "enough information to
 * translate local location codes into valid OCLC institution symbol and holding library code
 * combinations in 852 $a and $b"]. The first rule whose `match` fits wins; with a table and no
 * fitting rule the record cannot be translated and is refused. No table: the 852 as sent.
 */
export function translate852(record: MarcRecord, table: readonly LhrTranslationRule[]): Translation852 {
  const sent: Field852 = (code) => record.first('852', code);
  if (table.length === 0) return { ok: true, field: sent };
  for (const rule of table) {
    let fits = true;
    for (const [code, value] of Object.entries(rule.match)) fits &&= sent(code)?.trim() === value;
    if (fits) return { ok: true, field: (code) => rule.set[code] ?? sent(code) };
  }
  const codes = new Set(table.flatMap((r) => Object.keys(r.match)));
  const seen = [...codes]
    .sort()
    .map((code) => `$${code} "${sent(code)?.trim() ?? ''}"`)
    .join(', ');
  return {
    ok: false,
    message: `852 ${seen} has no row in this collection's 852 translation table (lhr.translation); add one or correct the location.`,
  };
}
