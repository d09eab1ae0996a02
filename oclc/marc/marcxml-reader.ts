import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { checkEncoding } from './check-encoding.ts';
import type { MarcReadItem } from './marc-read-result.ts';
import { MarcRecord, SUBFIELD_DELIMITER, type MarcField } from './marc-record.ts';

const MARC_NS = 'http://www.loc.gov/MARC21/slim';
const MAX_FIELD = 9999;
const MAX_RECORD = 99_999;

interface Building {
  offset: number;
  leader: string;
  fields: MarcField[];
  field?: { tag: string; parts: Buffer[]; control: boolean };
  subfieldCode?: string;
  text: string;
}

/**
 * MARCXML through a real streaming XML parser: records in the MARC21/slim namespace under any
 * prefix (or none), attributes by name, UTF-8 decoded across chunk boundaries, zero records fine.
 * A well-formedness error ends the file as one Data Error: XML cannot be resynchronised safely.
 */
export class MarcxmlReader {
  readonly #parser = new SaxesParser({ xmlns: true, position: true });
  readonly #decoder = new StringDecoder('utf8');
  #items: MarcReadItem[] = [];
  #record: Building | undefined;
  #failed = false;

  constructor() {
    this.#parser.on('opentag', (tag) => this.#open(tag));
    this.#parser.on('closetag', (tag) => this.#close(tag));
    this.#parser.on('text', (text) => {
      if (this.#record) this.#record.text += text;
    });
    this.#parser.on('cdata', (text) => {
      if (this.#record) this.#record.text += text;
    });
    this.#parser.on('error', (error) => {
      if (this.#failed) return;
      this.#failed = true;
      this.#items.push({
        kind: 'error',
        offset: this.#record?.offset ?? this.#parser.position,
        code: 'crosswalk_error',
        detail: `MARCXML is not well-formed: ${error.message}`,
      });
    });
  }

  push(chunk: Buffer): MarcReadItem[] {
    if (!this.#failed) this.#write(this.#decoder.write(chunk));
    return this.#flush();
  }

  end(): MarcReadItem[] {
    if (!this.#failed) {
      this.#write(this.#decoder.end());
      if (!this.#failed) this.#parser.close();
    }
    return this.#flush();
  }

  #write(text: string): void {
    try {
      this.#parser.write(text);
    } catch {
      // saxes reports through the 'error' handler above; it rethrows only after that.
    }
  }

  #flush(): MarcReadItem[] {
    const items = this.#items;
    this.#items = [];
    return items;
  }

  #open(tag: SaxesTagNS): void {
    if (this.#failed || (tag.uri !== MARC_NS && tag.uri !== '')) return;
    const attr = (name: string): string => tag.attributes[name]?.value ?? '';
    if (tag.local === 'record') {
      this.#record = { offset: this.#parser.position, leader: '', fields: [], text: '' };
      return;
    }
    const record = this.#record;
    if (!record) return;
    record.text = '';
    if (tag.local === 'controlfield') record.field = { tag: attr('tag'), parts: [], control: true };
    else if (tag.local === 'datafield') {
      const indicators = `${attr('ind1') || ' '}${attr('ind2') || ' '}`.slice(0, 2);
      record.field = { tag: attr('tag'), parts: [Buffer.from(indicators, 'utf8')], control: false };
    } else if (tag.local === 'subfield') record.subfieldCode = attr('code');
  }

  #close(tag: SaxesTagNS): void {
    if (this.#failed || (tag.uri !== MARC_NS && tag.uri !== '')) return;
    const record = this.#record;
    if (!record) return;
    if (tag.local === 'leader') {
      record.leader = record.text;
    } else if (tag.local === 'subfield' && record.field && record.subfieldCode !== undefined) {
      record.field.parts.push(
        Buffer.from([SUBFIELD_DELIMITER]),
        Buffer.from(record.subfieldCode + record.text, 'utf8'),
      );
      record.subfieldCode = undefined;
    } else if (tag.local === 'controlfield' && record.field) {
      record.fields.push({ tag: record.field.tag, data: Buffer.from(record.text, 'utf8') });
      record.field = undefined;
    } else if (tag.local === 'datafield' && record.field) {
      record.fields.push({ tag: record.field.tag, data: Buffer.concat(record.field.parts) });
      record.field = undefined;
    } else if (tag.local === 'record') {
      this.#items.push(finish(record));
      this.#record = undefined;
    }
    record.text = '';
  }
}

function finish(building: Building): MarcReadItem {
  const { offset } = building;
  const leader = building.leader.padEnd(24, ' ').slice(0, 24);
  if (building.leader.length !== 24) {
    return {
      kind: 'error',
      offset,
      code: 'crosswalk_error',
      detail: `leader must be 24 characters, got ${building.leader.length}`,
    };
  }
  if (!/^[0-9 ]{5}$/.test(leader.slice(0, 5))) {
    return {
      kind: 'error',
      offset,
      code: 'crosswalk_error',
      detail: `leader positions 0-4 (the record length) must be digits or blanks, got '${leader.slice(0, 5)}'`,
    };
  }
  const long = building.fields.find((f) => f.data.length + 1 > MAX_FIELD);
  if (long) {
    return {
      kind: 'error',
      offset,
      code: 'marc_record_field_length_error',
      detail: `field ${long.tag} is ${long.data.length + 1} bytes; the limit is ${MAX_FIELD}`,
    };
  }
  const size =
    24 + 12 * building.fields.length + 1 + building.fields.reduce((n, f) => n + f.data.length + 1, 0) + 1;
  if (size > MAX_RECORD) {
    return {
      kind: 'error',
      offset,
      code: 'marc_record_field_length_error',
      detail: `the record is ${size} bytes in ISO 2709; the limit is ${MAX_RECORD}`,
    };
  }
  const bad = building.fields.find((f) => !/^[0-9A-Za-z]{3}$/.test(f.tag));
  if (bad) return { kind: 'error', offset, code: 'crosswalk_error', detail: `invalid tag "${bad.tag}"` };
  // MARCXML is always Unicode, whatever Leader/09 says; record it as OCLC's crosswalk would.
  const record = MarcRecord.fromFields(`${leader.slice(0, 9)}a${leader.slice(10)}`, building.fields);
  const problem = checkEncoding(record);
  if (problem) return { kind: 'error', offset, code: problem.code, detail: problem.detail };
  return { kind: 'record', offset, record };
}
