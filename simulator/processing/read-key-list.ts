import type { MarcField } from '../../oclc/marc/marc-record.ts';
import { MarcRecord } from '../../oclc/marc/marc-record.ts';
import type { MarcReadItem } from '../../oclc/marc/marc-read-result.ts';

/**
 * The columns a key list may have, and the MARC field each becomes. INVENTED where OCLC is silent
 * (DECISIONS.md, README "Non-MARC files"): OCLC documents the delete list's `OCN,Library Code`
 * columns and names numeric-search-key files, but not their exact columns.
 */
const COLUMNS: Readonly<Record<string, { tag: string; code: string }>> = {
  ocn: { tag: '035', code: 'a' },
  isbn: { tag: '020', code: 'a' },
  issn: { tag: '022', code: 'a' },
  lccn: { tag: '010', code: 'a' },
  lsn: { tag: '001', code: '' },
  'library code': { tag: '049', code: 'a' },
};
const KEYS = ['ocn', 'isbn', 'issn', 'lccn'];
const LEADER = '00000nam a2200000 a 4500';

/** Whether a file is a key list (a delete list or numeric search keys) rather than MARC. */
export function isKeyListName(name: string): boolean {
  return /\.(csv|nsk)$/i.test(name);
}

/**
 * Reads a key list, UTF-8 CSV with a header row, as one minimal bib record per row, so the bib
 * rules decide each row as they decide a record: an OCN matches, an ISBN/ISSN/LCCN is a full-match
 * key, the collection type says whether holdings are set or cancelled. A row without a key, or a
 * file that is not CSV, becomes a Data Error (crosswalk_error) like an unreadable MARC record.
 */
export async function* readKeyList(source: AsyncIterable<Buffer>): AsyncGenerator<MarcReadItem> {
  // Loaded here, not with the module: the processing worker starts faster without csv-parse and
  // node:stream, which only key lists need (D14).
  const [{ parse }, { Readable }] = await Promise.all([import('csv-parse'), import('node:stream')]);
  let columns: string[] | undefined;
  const parser = Readable.from(source).pipe(
    parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }),
  );
  // Each row is located as a MARC record is (D11): by the byte offset where its line starts, the
  // end of the row before it (csv-parse counts bytes up to and including a row's line break).
  let start = 0;
  try {
    for await (const row of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; bytes: number };
    }>) {
      const at = { line: row.info.lines, offset: start };
      start = row.info.bytes;
      if (!columns) {
        columns = row.record.map((c) => c.toLowerCase());
        const unknown = columns.filter((c) => !(c in COLUMNS));
        if (unknown.length > 0 || !columns.some((c) => KEYS.includes(c))) {
          yield error(at, headerProblem(unknown));
          return;
        }
        continue;
      }
      yield rowItem(columns, row.record, at);
    }
  } catch (failure) {
    const reason = failure instanceof Error ? failure.message : String(failure);
    yield error({ line: 0, offset: start }, `the file is not valid CSV (${reason})`);
  }
}

interface RowAt {
  /** For people: the line number in the detail of a Data Error. */
  line: number;
  /** For the locator, as a MARC record's. */
  offset: number;
}

function rowItem(columns: readonly string[], values: readonly string[], at: RowAt): MarcReadItem {
  const value = (column: string): string => values[columns.indexOf(column)] ?? '';
  const { line } = at;
  if (!KEYS.some((k) => value(k) !== '')) return error(at, `line ${line} has no OCN, ISBN, ISSN or LCCN`);
  const ocn = value('ocn').replace(/^\(OCoLC\)|^(ocm|ocn|on)/i, '');
  if (ocn !== '' && !/^\d{1,15}$/.test(ocn))
    return error(at, `line ${line}: the OCN "${value('ocn')}" is not a number`);
  // Reports name each record by its LSN; a list without one is named by the key it was sent by.
  const lsn = value('lsn') || ocn || (KEYS.map(value).find((v) => v !== '') ?? '');
  const fields: MarcField[] = [{ tag: '001', data: Buffer.from(lsn) }];
  for (const column of columns) {
    const { tag, code } = COLUMNS[column] ?? { tag: '', code: '' };
    const text = column === 'ocn' ? ocn && `(OCoLC)${ocn}` : value(column);
    if (tag === '001' || text === '') continue;
    fields.push({ tag, data: Buffer.from(`  \x1f${code}${text}`) });
  }
  fields.sort((a, b) => a.tag.localeCompare(b.tag));
  return { kind: 'record', offset: at.offset, record: MarcRecord.fromFields(LEADER, fields) };
}

function headerProblem(unknown: readonly string[]): string {
  const allowed = 'OCN, ISBN, ISSN, LCCN, LSN, Library Code';
  return unknown.length > 0
    ? `the first line names unknown columns (${unknown.join(', ')}); the columns are ${allowed}`
    : `the first line must name the columns, with at least one of OCN, ISBN, ISSN, LCCN (allowed: ${allowed})`;
}

function error(at: RowAt, detail: string): MarcReadItem {
  return { kind: 'error', offset: at.offset, code: 'crosswalk_error', detail };
}
