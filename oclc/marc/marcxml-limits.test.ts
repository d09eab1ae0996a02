import { describe, expect, it } from 'vitest';
import type { MarcReadItem } from './marc-read-result.ts';
import { MAX_XML_DEPTH, MAX_XML_RUN, MarcxmlReader } from './marcxml-reader.ts';
import { marcxmlRecord } from './write-marc.ts';

const OPEN =
  '<?xml version="1.0"?><collection xmlns="http://www.loc.gov/MARC21/slim" xmlns:marc="http://www.loc.gov/MARC21/slim">';
const record = (lsn: string) =>
  marcxmlRecord({
    fields: [
      ['001', lsn],
      ['245', '10', 'a', `Title ${lsn}`],
    ],
  });

/** Feeds the reader chunk by chunk, as processing does, and tells how long it took. */
function readChunks(chunks: Iterable<string | Buffer>): { items: MarcReadItem[]; ms: number } {
  const started = performance.now();
  const reader = new MarcxmlReader();
  const items: MarcReadItem[] = [];
  for (const chunk of chunks) items.push(...reader.push(Buffer.from(chunk)));
  items.push(...reader.end());
  return { items, ms: performance.now() - started };
}

const kinds = (items: MarcReadItem[]) => items.map((i) => (i.kind === 'record' ? 'record' : i.code));

describe('MARCXML limits', () => {
  it('stops at 200,000 nested elements with one Data Error after the records read so far', () => {
    const nested = `${OPEN}${record('1')}<record>${'<x>'.repeat(200_000)}${'</x>'.repeat(200_000)}</record></collection>`;
    const { items } = readChunks([nested]);
    expect(kinds(items)).toEqual(['record', 'crosswalk_error']);
    const last = items.at(-1);
    expect(last?.kind === 'error' && last.detail).toMatch(
      new RegExp(`nest deeper than ${MAX_XML_DEPTH} levels; reading stopped at character \\d+`),
    );
  });

  it('stops at a 150 MB text node without holding it', () => {
    const mb = 'a'.repeat(1_000_000);
    function* chunks(): Generator<string> {
      yield `${OPEN}${record('1')}<record><leader>`;
      for (let i = 0; i < 150; i++) yield mb;
      yield '</leader></record></collection>';
    }
    const before = process.memoryUsage().heapUsed;
    const { items } = readChunks(chunks());
    expect(kinds(items)).toEqual(['record', 'crosswalk_error']);
    const last = items.at(-1);
    expect(last?.kind === 'error' && last.detail).toMatch(`longer than ${MAX_XML_RUN} characters`);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(100_000_000);
  });

  it('reports a record longer than any MARC record as a Data Error and reads on', () => {
    const long = `<record><leader>00000nam a2200000 a 4500</leader>${'<datafield tag="500" ind1=" " ind2=" "><subfield code="a">note</subfield></datafield>'.repeat(12_000)}</record>`;
    const { items } = readChunks([`${OPEN}${record('1')}${long}${record('3')}</collection>`]);
    expect(kinds(items)).toEqual(['record', 'marc_record_field_length_error', 'record']);
  });

  it('never expands or fetches entities', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">' +
      '<!ENTITY ext SYSTEM "http://127.0.0.1:1/secret">]>' +
      '<collection xmlns="http://www.loc.gov/MARC21/slim"><record><leader>&lol2;&ext;</leader></record></collection>';
    const { items } = readChunks([bomb]);
    expect(kinds(items)).toEqual(['crosswalk_error']);
    expect(JSON.stringify(items)).not.toContain('lollol');
  });
});
