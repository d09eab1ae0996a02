import { subfieldsOf, type MarcRecord } from './marc-record.ts';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const esc = (text: string): string => text.replace(/[&<>"]/g, (ch) => ESCAPES[ch] ?? ch);

/** A MARCXML record (MARC21/slim namespace, `marc:` prefix) from a UTF-8 record. */
export function writeMarcxmlRecord(record: MarcRecord): string {
  const lines = [`<marc:record>`, `  <marc:leader>${esc(record.leader)}</marc:leader>`];
  for (const field of record.fields) {
    if (/^00\d$/.test(field.tag)) {
      lines.push(
        `  <marc:controlfield tag="${field.tag}">${esc(field.data.toString('utf8'))}</marc:controlfield>`,
      );
      continue;
    }
    const ind = field.data.toString('latin1', 0, 2).padEnd(2, ' ');
    lines.push(
      `  <marc:datafield tag="${field.tag}" ind1="${esc(ind[0] ?? ' ')}" ind2="${esc(ind[1] ?? ' ')}">`,
    );
    for (const sub of subfieldsOf(field)) {
      lines.push(
        `    <marc:subfield code="${esc(sub.code)}">${esc(sub.value.toString('utf8'))}</marc:subfield>`,
      );
    }
    lines.push('  </marc:datafield>');
  }
  lines.push('</marc:record>');
  return lines.join('\n');
}

export const MARCXML_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n<marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim">\n';
export const MARCXML_TAIL = '\n</marc:collection>\n';
