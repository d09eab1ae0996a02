import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateBibRecords } from './generate-bib-records.ts';
import { Iso2709Reader } from './iso2709-reader.ts';
import type { MarcReadItem } from './marc-read-result.ts';
import { MarcxmlReader } from './marcxml-reader.ts';
import { marcxmlCollection, marcxmlRecord } from './write-marc.ts';

/**
 * Property tests over both MARC readers, seeded from real-shaped records and mutated. `npm test`
 * runs a quick pass; `npm run fuzz` sets FUZZ_RUNS for a long one. A failure prints the seed and
 * the shrunk input, which replays with `fc.assert(..., { seed, path })`.
 */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);
const TIMEOUT = Math.max(60_000, RUNS * 200);

interface Reader {
  push(chunk: Buffer): MarcReadItem[];
  end(): MarcReadItem[];
}

function readAll(make: () => Reader, bytes: Buffer, cuts: number[]): MarcReadItem[] {
  const reader = make();
  const items: MarcReadItem[] = [];
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const end = Math.min(bytes.length, cut);
    if (end <= at) continue;
    items.push(...reader.push(bytes.subarray(at, end)));
    at = end;
  }
  items.push(...reader.push(bytes.subarray(at)));
  items.push(...reader.end());
  return items;
}

/** What the report is built from: every item with its offset and kind, records by their bytes. */
function summary(items: MarcReadItem[]): string[] {
  return items.map((i) =>
    i.kind === 'record' ? `${i.offset}:record:${i.record.bytes.toString('hex')}` : `${i.offset}:${i.code}`,
  );
}

function withoutErrorOffset(line: string): string {
  return line.includes(':record:') ? line : line.replace(/^\d+:/, '');
}

/** Accounting that holds for any input: one item per record started, in file order. */
function checkAccounting(items: MarcReadItem[], length: number, slack = 0): void {
  for (const [index, item] of items.entries()) {
    expect(item.offset).toBeGreaterThanOrEqual(0);
    expect(item.offset).toBeLessThanOrEqual(length + slack);
    const previous = items[index - 1];
    if (previous) expect(item.offset).toBeGreaterThanOrEqual(previous.offset);
  }
}

const SEED_RECORDS = [...generateBibRecords({ count: 12, seed: 5 })].map((r) => r.bytes);

const mutation = (length: number) =>
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(length - 1), byte: fc.nat(255) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat(length) }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(length),
      bytes: fc.uint8Array({ maxLength: 40 }),
    }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(length), count: fc.nat(200) }),
  );

type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'cut'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; count: number };

function mutate(bytes: Buffer, mutations: Mutation[]): Buffer {
  let out = Buffer.from(bytes);
  for (const m of mutations) {
    const at = Math.min(m.at, out.length);
    if (m.kind === 'flip' && at < out.length) out[at] = m.byte;
    if (m.kind === 'cut') out = out.subarray(0, at);
    if (m.kind === 'insert')
      out = Buffer.concat([out.subarray(0, at), Buffer.from(m.bytes), out.subarray(at)]);
    if (m.kind === 'delete') out = Buffer.concat([out.subarray(0, at), out.subarray(at + m.count)]);
  }
  return out;
}

describe('ISO 2709 reading, fuzzed', () => {
  const file = Buffer.concat(SEED_RECORDS);

  it('reads every unmutated record, whatever the chunk boundaries', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(file.length), { maxLength: 30 }), (cuts) => {
        const items = readAll(() => new Iso2709Reader(), file, cuts);
        expect(items.filter((i) => i.kind === 'record')).toHaveLength(SEED_RECORDS.length);
      }),
      { numRuns: RUNS },
    );
  });

  it(
    'never throws on mutated input, accounts for it in order, and reads the same in any chunks',
    () => {
      fc.assert(
        fc.property(
          fc.array(mutation(file.length), { minLength: 1, maxLength: 8 }),
          fc.array(fc.nat(file.length + 100), { maxLength: 20 }),
          (mutations, cuts) => {
            const bytes = mutate(file, mutations);
            const whole = readAll(() => new Iso2709Reader(), bytes, []);
            checkAccounting(whole, bytes.length);
            expect(summary(readAll(() => new Iso2709Reader(), bytes, cuts))).toEqual(summary(whole));
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});

describe('MARCXML reading, fuzzed', () => {
  const text = fc.string({ unit: 'grapheme', maxLength: 30 });
  const spec = fc.record({ lsn: fc.stringMatching(/^[0-9a-z]{1,12}$/), title: text, note: text });
  const XML_TOKENS = [
    '<',
    '>',
    '&',
    '</record>',
    '<record>',
    '<![CDATA[',
    ']]>',
    '<!--',
    '"',
    '<x>',
    '&amp;',
  ];

  it(
    'never throws on mutated collections, accounts for them in order, and reads the same in any chunks',
    () => {
      fc.assert(
        fc.property(
          fc.array(spec, { minLength: 1, maxLength: 5 }),
          fc.array(
            fc.record({
              at: fc.nat(2000),
              token: fc.oneof(fc.constantFrom(...XML_TOKENS), fc.string({ maxLength: 5 })),
              remove: fc.nat(20),
            }),
            { maxLength: 6 },
          ),
          fc.array(fc.nat(3000), { maxLength: 20 }),
          (specs, edits, cuts) => {
            const records = specs.map((s) =>
              marcxmlRecord({
                fields: [
                  ['001', s.lsn],
                  ['245', '10', 'a', s.title || 'x'],
                  ['500', '  ', 'a', s.note || 'x'],
                ],
              }),
            );
            let xml = marcxmlCollection(records);
            const clean = readAll(() => new MarcxmlReader(), Buffer.from(xml), []);
            if (edits.length === 0)
              expect(clean.filter((i) => i.kind === 'record')).toHaveLength(specs.length);
            for (const e of edits) {
              const at = Math.min(e.at, xml.length);
              xml = xml.slice(0, at) + e.token + xml.slice(at + e.remove);
            }
            const bytes = Buffer.from(xml);
            const whole = readAll(() => new MarcxmlReader(), bytes, []);
            // saxes places an error found at the end of input one character past it.
            checkAccounting(whole, xml.length, 1);
            // Where saxes notices a well-formedness error can depend on where a chunk ends, so
            // errors are compared by kind; records must be identical.
            const chunked = readAll(() => new MarcxmlReader(), bytes, cuts);
            expect(summary(chunked).map(withoutErrorOffset)).toEqual(summary(whole).map(withoutErrorOffset));
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
