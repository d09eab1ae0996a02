/** ISO 2709 separators. */
export const FIELD_TERMINATOR = 0x1e;
export const RECORD_TERMINATOR = 0x1d;
export const SUBFIELD_DELIMITER = 0x1f;

export interface MarcField {
  tag: string;
  /** The field's bytes without its terminator: a control field's value, or indicators + subfields. */
  data: Buffer;
}

export interface Subfield {
  code: string;
  value: Buffer;
}

/**
 * A record as it arrived: the leader as text and every field as bytes. Nothing is decoded, so
 * MARC-8 and UTF-8 records survive untouched; callers decode only the few values they need.
 */
export class MarcRecord {
  readonly leader: string;
  readonly fields: readonly MarcField[];

  constructor(leader: string, fields: readonly MarcField[]) {
    this.leader = leader;
    this.fields = fields;
  }

  field(tag: string): MarcField | undefined {
    return this.fields.find((f) => f.tag === tag);
  }

  all(tag: string): MarcField[] {
    return this.fields.filter((f) => f.tag === tag);
  }

  has(tag: string): boolean {
    return this.fields.some((f) => f.tag === tag);
  }

  /** A control field's value as text (control fields are ASCII in practice). */
  control(tag: string): string | undefined {
    return this.field(tag)?.data.toString('latin1');
  }

  /** Every value of `tag $code`, as UTF-8 text (callers use it for ASCII data: numbers, codes). */
  values(tag: string, code: string): string[] {
    const out: string[] = [];
    for (const field of this.fields) {
      if (field.tag !== tag) continue;
      for (const sub of subfieldsOf(field)) if (sub.code === code) out.push(sub.value.toString('utf8'));
    }
    return out;
  }

  first(tag: string, code: string): string | undefined {
    return this.values(tag, code)[0];
  }
}

/** Splits a data field into subfields; the two indicator bytes come first and are skipped. */
export function subfieldsOf(field: MarcField): Subfield[] {
  const data = field.data;
  const subfields: Subfield[] = [];
  let start = data.indexOf(SUBFIELD_DELIMITER);
  while (start !== -1 && start + 1 < data.length) {
    const next = data.indexOf(SUBFIELD_DELIMITER, start + 1);
    const end = next === -1 ? data.length : next;
    subfields.push({
      code: String.fromCharCode(data[start + 1] ?? 0x20),
      value: data.subarray(start + 2, end),
    });
    start = next;
  }
  return subfields;
}

export function isControlTag(tag: string): boolean {
  return /^00[1-9]$/.test(tag);
}

export function indicatorsOf(field: MarcField): string {
  return field.data.subarray(0, 2).toString('latin1');
}
