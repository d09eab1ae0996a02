import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { checkEncoding } from './check-encoding.ts';
import type { MarcReadItem } from './marc-read-result.ts';
import { MarcRecord, SUBFIELD_DELIMITER, type MarcField } from './marc-record.ts';

const MARC_NS = 'http://www.loc.gov/MARC21/slim';
const MAX_FIELD = 9999;
const MAX_RECORD = 99_999;

/** MARCXML nests five deep (collection, record, datafield, subfield); far more is not MARC. */
export const MAX_XML_DEPTH = 64;
/**
 * Characters the parser may take in without finishing any construct (a text node, a comment, a
 * tag): a record is at most 99,999 bytes, so one text node longer than this cannot be MARC.
 */
export const MAX_XML_RUN = 1_000_000;
/** Characters of XML one record may span; ten times the ISO 2709 limit allows for markup. */
export const MAX_XML_RECORD = 10 * MAX_RECORD;
/** Thrown by our own handlers to abandon a write once reading has stopped. */
const STOPPED = Symbol('reading stopped');

/** Input is handed to the parser in slices this long, so the limits above are checked often. */
const SLICE = 65_536;

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
  #depth = 0;
  /** Characters written since the parser last finished a construct. */
  #run = 0;
  /** The current record grew past MAX_XML_RECORD: its content is ignored until it closes. */
  #oversized = false;

  constructor() {
    const progress = (): void => {
      this.#run = 0;
    };
    this.#parser.on('opentag', (tag) => {
      progress();
      if (++this.#depth > MAX_XML_DEPTH) {
        this.#stop(`elements nest deeper than ${MAX_XML_DEPTH} levels`);
        // Abandon the rest of this write at once: saxes resolves namespaces up the whole element
        // stack for every tag, so going on through deep nesting costs quadratic time.
        throw STOPPED;
      }
      this.#open(tag);
    });
    this.#parser.on('closetag', (tag) => {
      progress();
      this.#depth--;
      this.#close(tag);
    });
    this.#parser.on('text', (text) => {
      progress();
      if (this.#record && !this.#oversized) this.#record.text += text;
    });
    this.#parser.on('cdata', (text) => {
      progress();
      if (this.#record && !this.#oversized) this.#record.text += text;
    });
    for (const event of ['comment', 'processinginstruction', 'doctype', 'xmldecl'] as const)
      this.#parser.on(event, progress);
    this.#parser.on('error', (error) => {
      this.#stop(`MARCXML is not well-formed: ${error.message}`);
      throw STOPPED;
    });
  }

  /**
   * Ends the file where the reader cannot go on: every record before was already reported, and
   * one Data Error at the record (or position) where reading stopped says why.
   */
  #stop(reason: string): void {
    if (this.#failed) return;
    this.#failed = true;
    const offset = this.#record?.offset ?? this.#parser.position;
    this.#items.push({
      kind: 'error',
      offset,
      code: 'crosswalk_error',
      detail: `${reason}; reading stopped at character ${this.#parser.position}`,
    });
    this.#record = undefined;
  }

  push(chunk: Buffer): MarcReadItem[] {
    if (!this.#failed) this.#write(this.#decoder.write(chunk));
    return this.#flush();
  }

  end(): MarcReadItem[] {
    if (!this.#failed) {
      this.#write(this.#decoder.end());
      try {
        if (!this.#failed) this.#parser.close();
      } catch (error) {
        if (error !== STOPPED) throw error;
      }
    }
    return this.#flush();
  }

  #write(text: string): void {
    for (let at = 0; at < text.length && !this.#failed; at += SLICE) {
      const slice = text.slice(at, at + SLICE);
      try {
        this.#parser.write(slice);
      } catch (error) {
        // Our handlers throw STOPPED to end the write; saxes itself reports through 'error'.
        if (error !== STOPPED && !this.#failed) throw error;
      }
      this.#run += slice.length;
      if (this.#run > MAX_XML_RUN) {
        this.#stop(`a single text node, comment or tag is longer than ${MAX_XML_RUN} characters`);
      }
      this.#checkRecordSpan();
    }
  }

  /** A record spanning more XML than any MARC record can is a Data Error; reading goes on after it. */
  #checkRecordSpan(): void {
    const record = this.#record;
    if (!record || this.#oversized || this.#parser.position - record.offset <= MAX_XML_RECORD) return;
    this.#oversized = true;
    record.fields = [];
    record.field = undefined;
    record.text = '';
  }

  #flush(): MarcReadItem[] {
    const items = this.#items;
    this.#items = [];
    return items;
  }

  #open(tag: SaxesTagNS): void {
    if (this.#failed || this.#oversized || (tag.uri !== MARC_NS && tag.uri !== '')) return;
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
    if (this.#oversized) {
      if (tag.local !== 'record') return;
      this.#oversized = false;
      this.#record = undefined;
      this.#items.push({
        kind: 'error',
        offset: record.offset,
        code: 'marc_record_field_length_error',
        detail: `the record spans more than ${MAX_XML_RECORD} characters of XML; the limit in ISO 2709 is ${MAX_RECORD} bytes`,
      });
      return;
    }
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
