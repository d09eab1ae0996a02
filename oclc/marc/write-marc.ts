import { Marc, Record as MarcjsRecord, type MarcjsField } from 'marcjs';

export interface RecordSpec {
  leader?: string;
  /** marcjs field arrays: ['001', 'value'] or ['245', '10', 'a', 'Title', 'c', 'Author']. */
  fields: MarcjsField[];
}

const DEFAULT_LEADER = '00000nam a2200000 a 4500';

/** Builds a marcjs record; marcjs is the project's record model for records we write. */
export function toMarcjsRecord(spec: RecordSpec): MarcjsRecord {
  const record = new MarcjsRecord();
  record.leader = spec.leader ?? DEFAULT_LEADER;
  for (const field of spec.fields) record.append(field);
  return record;
}

/** ISO 2709 bytes of one record, written by marcjs (UTF-8 text). */
export function iso2709(spec: RecordSpec): Buffer {
  return Buffer.from(Marc.format(toMarcjsRecord(spec), 'Iso2709'), 'utf8');
}

const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
};

/**
 * A MARCXML record in the MARC21/slim namespace. marcjs's own MARCXML writer omits the namespace
 * and escapes every non-ASCII character, which real exporters do not do.
 */
export function marcxmlRecord(spec: RecordSpec, prefix = 'marc'): string {
  const p = prefix ? `${prefix}:` : '';
  const esc = (text: string): string => text.replace(/[&<>"]/g, (ch) => XML_ESCAPES[ch] ?? ch);
  const lines = [`<${p}record>`, `  <${p}leader>${esc(spec.leader ?? DEFAULT_LEADER)}</${p}leader>`];
  for (const [tag = '', ...rest] of spec.fields) {
    if (/^00/.test(tag)) {
      lines.push(`  <${p}controlfield tag="${tag}">${esc(rest[0] ?? '')}</${p}controlfield>`);
      continue;
    }
    const indicators = rest[0] ?? '  ';
    lines.push(
      `  <${p}datafield tag="${tag}" ind1="${indicators[0] ?? ' '}" ind2="${indicators[1] ?? ' '}">`,
    );
    for (let i = 1; i + 1 < rest.length; i += 2) {
      lines.push(`    <${p}subfield code="${esc(rest[i] ?? '')}">${esc(rest[i + 1] ?? '')}</${p}subfield>`);
    }
    lines.push(`  </${p}datafield>`);
  }
  lines.push(`</${p}record>`);
  return lines.join('\n');
}

export function marcxmlCollection(records: readonly string[], prefix = 'marc'): string {
  const p = prefix ? `${prefix}:` : '';
  const ns = prefix ? `xmlns:${prefix}` : 'xmlns';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${p}collection ${ns}="http://www.loc.gov/MARC21/slim">\n${records.join('\n')}\n</${p}collection>\n`;
}
