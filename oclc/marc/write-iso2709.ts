import { FIELD_TERMINATOR, RECORD_TERMINATOR, type MarcField } from './marc-record.ts';

/**
 * Writes a record as ISO 2709 from raw field bytes: the directory, record length and base address
 * are computed, every field's bytes are copied as they are (MARC-8 stays MARC-8).
 */
export function writeIso2709(leader: string, fields: readonly MarcField[]): Buffer {
  const base = 24 + fields.length * 12 + 1;
  const dataLength = fields.reduce((n, f) => n + f.data.length + 1, 0);
  const length = base + dataLength + 1;
  const out = Buffer.alloc(length);
  const head = `${String(length).padStart(5, '0')}${leader.slice(5, 12).padEnd(7, ' ')}${String(base).padStart(5, '0')}${leader.slice(17, 24).padEnd(7, ' ')}`;
  out.write(head, 0, 'latin1');
  let directory = 24;
  let at = 0;
  for (const field of fields) {
    out.write(
      `${field.tag}${String(field.data.length + 1).padStart(4, '0')}${String(at).padStart(5, '0')}`,
      directory,
      'latin1',
    );
    directory += 12;
    field.data.copy(out, base + at);
    out[base + at + field.data.length] = FIELD_TERMINATOR;
    at += field.data.length + 1;
  }
  out[base - 1] = FIELD_TERMINATOR;
  out[length - 1] = RECORD_TERMINATOR;
  return out;
}
