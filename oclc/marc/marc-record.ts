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
 * A record as it arrived: the leader as text and every field as a byte range of one buffer.
 * Nothing is decoded, so MARC-8 and UTF-8 survive untouched; callers decode only the few values
 * they need. Fields are ranges, not Buffer views, because a view per field per record was the
 * largest source of garbage when reading a million records.
 */
export class MarcRecord {
  readonly leader: string;
  readonly #bytes: Buffer;
  /** Tags as numbers (see tagCode): comparing integers beats comparing fresh strings. */
  readonly #tags: readonly number[];
  readonly #starts: readonly number[];
  readonly #ends: readonly number[];
  #fields: MarcField[] | undefined;

  constructor(
    leader: string,
    bytes: Buffer,
    tags: readonly number[],
    starts: readonly number[],
    ends: readonly number[],
  ) {
    this.leader = leader;
    this.#bytes = bytes;
    this.#tags = tags;
    this.#starts = starts;
    this.#ends = ends;
  }

  /** Builds a record from separate field buffers (MARCXML, tests). */
  static fromFields(leader: string, fields: readonly MarcField[]): MarcRecord {
    const starts: number[] = [];
    const ends: number[] = [];
    let at = 0;
    for (const field of fields) {
      starts.push(at);
      at += field.data.length;
      ends.push(at);
    }
    const bytes = Buffer.concat(
      fields.map((f) => f.data),
      at,
    );
    const tags = fields.map((f) => tagCode(Buffer.from(f.tag.padEnd(3, ' '), 'latin1'), 0));
    return new MarcRecord(leader, bytes, tags, starts, ends);
  }

  get fields(): readonly MarcField[] {
    this.#fields ??= this.#tags.map((tag, i) => ({ tag: tagText(tag), data: this.#data(i) }));
    return this.#fields;
  }

  /** All of the record's bytes (for a record read from ISO 2709, leader and directory included). */
  get bytes(): Buffer {
    return this.#bytes;
  }

  get fieldCount(): number {
    return this.#tags.length;
  }

  field(tag: string): MarcField | undefined {
    const i = this.#indexOf(tag, 0);
    return i === -1 ? undefined : { tag, data: this.#data(i) };
  }

  has(tag: string): boolean {
    return this.#indexOf(tag, 0) !== -1;
  }

  tagAt(index: number): string {
    return tagText(this.#tags[index] ?? 0);
  }

  /** A control field's value as text (control fields are ASCII in practice). */
  control(tag: string): string | undefined {
    const i = this.#indexOf(tag, 0);
    return i === -1 ? undefined : this.#bytes.toString('latin1', this.#starts[i], this.#ends[i]);
  }

  /** Every value of `tag $code` as UTF-8 text (callers use it for numbers, codes and titles). */
  values(tag: string, code: string): string[] {
    const out: string[] = [];
    for (let i = this.#indexOf(tag, 0); i !== -1; i = this.#indexOf(tag, i + 1))
      this.#scan(i, code, out, Infinity);
    return out;
  }

  first(tag: string, code: string): string | undefined {
    const out: string[] = [];
    for (let i = this.#indexOf(tag, 0); i !== -1 && out.length === 0; i = this.#indexOf(tag, i + 1))
      this.#scan(i, code, out, 1);
    return out[0];
  }

  /** How many times `$code` occurs in the first `tag` field. */
  countSubfields(tag: string, code: string): number {
    const i = this.#indexOf(tag, 0);
    if (i === -1) return 0;
    const codeByte = code.charCodeAt(0);
    let count = 0;
    for (let p = this.#starts[i] ?? 0; p < (this.#ends[i] ?? 0) - 1; p++) {
      if (this.#bytes[p] === SUBFIELD_DELIMITER && this.#bytes[p + 1] === codeByte) count++;
    }
    return count;
  }

  #indexOf(tag: string, from: number): number {
    const code = tagCodeOf(tag);
    const tags = this.#tags;
    for (let i = from; i < tags.length; i++) if (tags[i] === code) return i;
    return -1;
  }

  #data(i: number): Buffer {
    return this.#bytes.subarray(this.#starts[i], this.#ends[i]);
  }

  #scan(i: number, code: string, out: string[], limit: number): void {
    const bytes = this.#bytes;
    const end = this.#ends[i] ?? 0;
    const codeByte = code.charCodeAt(0);
    for (let p = this.#starts[i] ?? 0; p < end - 1 && out.length < limit; p++) {
      if (bytes[p] !== SUBFIELD_DELIMITER || bytes[p + 1] !== codeByte) continue;
      let stop = bytes.indexOf(SUBFIELD_DELIMITER, p + 2);
      if (stop === -1 || stop > end) stop = end;
      out.push(bytes.toString('utf8', p + 2, stop));
      p = stop - 1;
    }
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

/** Numeric tags map to 0-999; other alphanumeric tags to a negative number that keeps their bytes. */
export function tagCode(bytes: Buffer, at: number): number {
  const a = bytes[at] ?? 0;
  const b = bytes[at + 1] ?? 0;
  const c = bytes[at + 2] ?? 0;
  if (a >= 0x30 && a <= 0x39 && b >= 0x30 && b <= 0x39 && c >= 0x30 && c <= 0x39) {
    return (a - 0x30) * 100 + (b - 0x30) * 10 + (c - 0x30);
  }
  return -1 - ((a << 16) | (b << 8) | c);
}

const CODES = new Map<string, number>();

function tagCodeOf(tag: string): number {
  let code = CODES.get(tag);
  if (code === undefined) {
    code = tagCode(Buffer.from(tag.padEnd(3, ' '), 'latin1'), 0);
    CODES.set(tag, code);
  }
  return code;
}

/** "000" to "999", made once: tagAt is asked for every field of every record. */
const NUMERIC_TAGS = Array.from({ length: 1000 }, (_, code) => String(code).padStart(3, '0'));

function tagText(code: number): string {
  if (code >= 0) return NUMERIC_TAGS[code] ?? String(code).padStart(3, '0');
  const packed = -1 - code;
  return String.fromCharCode((packed >> 16) & 0xff, (packed >> 8) & 0xff, packed & 0xff);
}
