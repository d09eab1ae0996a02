import { describe, expect, it } from 'vitest';
import type { MarcReadItem } from './marc-read-result.ts';
import { MarcxmlReader } from './marcxml-reader.ts';
import { marcxmlCollection, marcxmlRecord } from './write-marc.ts';

function read(xml: string | Buffer, chunkSize?: number): MarcReadItem[] {
  const bytes = Buffer.isBuffer(xml) ? xml : Buffer.from(xml, 'utf8');
  const size = chunkSize ?? bytes.length;
  const reader = new MarcxmlReader();
  const items: MarcReadItem[] = [];
  for (let i = 0; i < bytes.length; i += size) items.push(...reader.push(bytes.subarray(i, i + size)));
  items.push(...reader.end());
  return items;
}

const one = (lsn: string, title: string) =>
  marcxmlRecord({
    fields: [
      ['001', lsn],
      ['245', '10', 'a', title, 'c', 'Ann Author'],
    ],
  });

describe('MarcxmlReader', () => {
  it.each(['marc', 'm', ''])('reads records with namespace prefix %j', (prefix) => {
    const xml = marcxmlCollection(
      [
        marcxmlRecord(
          {
            fields: [
              ['001', '1'],
              ['245', '10', 'a', 'A'],
            ],
          },
          prefix,
        ),
        marcxmlRecord({ fields: [['001', '2']] }, prefix),
      ],
      prefix,
    );
    const items = read(xml);
    expect(items.map((i) => (i.kind === 'record' ? i.record.control('001') : i.code))).toEqual(['1', '2']);
  });

  it('keeps multi-byte UTF-8 intact across 1-byte chunks', () => {
    const xml = marcxmlCollection([one('1', 'Dvořák – 日本語 ü')]);
    const [item] = read(xml, 1);
    if (item?.kind !== 'record') throw new Error('not a record');
    expect(item.record.first('245', 'a')).toBe('Dvořák – 日本語 ü');
    expect(item.record.first('245', 'c')).toBe('Ann Author');
    expect(item.record.leader[9]).toBe('a');
  });

  it('reads attributes by name in any order', () => {
    const xml = `<collection xmlns="http://www.loc.gov/MARC21/slim"><record><leader>00000nam a2200000 a 4500</leader>
      <datafield ind2="0" code="x" tag="245" ind1="1"><subfield code="a">T</subfield></datafield></record></collection>`;
    const [item] = read(xml);
    if (item?.kind !== 'record') throw new Error('not a record');
    expect(item.record.field('245')?.data.toString()).toBe('10\x1faT');
  });

  it('ends on input with no records', () => {
    expect(read(marcxmlCollection([]))).toEqual([]);
    expect(
      read('<?xml version="1.0"?><marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim"/>'),
    ).toEqual([]);
  });

  it('turns malformed XML into one Data Error after the good records', () => {
    const xml = `${marcxmlCollection([one('1', 'A')]).replace('</marc:collection>', '')}<marc:record><marc:leader>x</marc:record>`;
    const items = read(xml, 7);
    expect(items.map((i) => i.kind)).toEqual(['record', 'error']);
    expect(items[1]).toMatchObject({
      code: 'crosswalk_error',
      detail: expect.stringContaining('not well-formed'),
    });
  });

  it('reports over-long fields as marc_record_field_length_error', () => {
    const items = read(marcxmlCollection([one('1', 'x'.repeat(10_000)), one('2', 'fine')]));
    expect(items.map((i) => (i.kind === 'record' ? 'record' : i.code))).toEqual([
      'marc_record_field_length_error',
      'record',
    ]);
  });

  it('names the leader positions that hold placeholders, not the length', () => {
    const xml = marcxmlCollection([
      marcxmlRecord({ leader: '#####nam a2200000 a 4500', fields: [['001', '1']] }),
    ]);
    const [item] = read(xml);
    expect(item).toMatchObject({
      kind: 'error',
      code: 'crosswalk_error',
      detail: "leader positions 0-4 (the record length) must be digits or blanks, got '#####'",
    });
  });

  it('reports a wrong-length leader as a crosswalk error', () => {
    const xml = marcxmlCollection([marcxmlRecord({ leader: 'short', fields: [['001', '1']] })]);
    expect(read(xml)[0]).toMatchObject({ kind: 'error', code: 'crosswalk_error' });
  });
});
