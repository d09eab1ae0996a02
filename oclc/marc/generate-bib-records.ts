import type { RecordSpec } from './write-marc.ts';
import { iso2709 } from './write-marc.ts';
import { BIB_DEFECTS } from './generator-defects.ts';

export { BIB_DEFECTS };

export type BibDefect = keyof typeof BIB_DEFECTS;

export interface GenerateOptions {
  count: number;
  seed: number;
  /** How many records get each defect; they are spread evenly through the file. */
  defects?: Partial<Record<BibDefect, number>>;
}

export type GeneratedKind = 'with-ocn' | 'create' | 'thin' | 'delete';

/** mulberry32: tiny, fast and deterministic for a seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'river',
  'garden',
  'history',
  'of',
  'the',
  'northern',
  'light',
  'music',
  'city',
  'letters',
  'winter',
  'atlas',
  'songs',
  'modern',
  'ancient',
  'theory',
  'islands',
  'tales',
  'voices',
  'stone',
];
const NAMES = [
  'Eliot, George',
  'Okafor, Ada',
  'Nakamura, Ken',
  'Dvořák, Antonín',
  'García, Lucía',
  'Smith, John',
];

/** The LSN (an Alma-style MMS ID) of record `index` for a seed. */
export function generatedLsn(index: number, seed: number): string {
  return `99${String(index + 1).padStart(9, '0')}${String(seed % 1000).padStart(3, '0')}6421`;
}

/**
 * Deterministic synthetic bib records: 60% with an OCN in 035, 25% full records without one
 * (created), 5% too thin to create (unresolved), 10% deletes (Leader/05 d) with an OCN.
 */
export function* generateBibRecords(
  options: GenerateOptions,
): Generator<{ index: number; kind: GeneratedKind; defect?: BibDefect; bytes: Buffer }> {
  const rand = random(options.seed);
  const planted = plantDefects(options);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  for (let index = 0; index < options.count; index++) {
    const roll = rand();
    const kind: GeneratedKind =
      roll < 0.6 ? 'with-ocn' : roll < 0.85 ? 'create' : roll < 0.9 ? 'thin' : 'delete';
    const ocn = String(1_000_000 + Math.floor(rand() * 1_300_000_000));
    const title = `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}`;
    const year = String(1900 + Math.floor(rand() * 126));
    const lsn = generatedLsn(index, options.seed);
    const spec: RecordSpec = {
      leader: `00000${kind === 'delete' ? 'd' : 'n'}am a2200000 i 4500`,
      fields: [
        ['001', lsn],
        ['005', `${year}0101000000.0`],
        ['008', `260115s${year}    nyu           000 0 eng d`],
      ],
    };
    if (kind === 'with-ocn' || kind === 'delete') spec.fields.push(['035', '  ', 'a', `(OCoLC)${ocn}`]);
    if (kind !== 'thin') {
      spec.fields.push(['020', '  ', 'a', `978${String(Math.floor(rand() * 1e10)).padStart(10, '0')}`]);
      spec.fields.push(['100', '1 ', 'a', pick(NAMES)]);
    }
    spec.fields.push([
      '245',
      '10',
      'a',
      `${title[0]?.toUpperCase() ?? ''}${title.slice(1)} /`,
      'c',
      'by someone.',
    ]);
    if (kind !== 'thin') {
      spec.fields.push(['264', ' 1', 'a', 'New York :', 'b', 'Example Press,', 'c', `${year}.`]);
      spec.fields.push(['300', '  ', 'a', `${100 + Math.floor(rand() * 400)} pages ;`, 'c', '24 cm']);
    }
    const defect = planted.get(index);
    yield {
      index,
      kind,
      ...(defect ? { defect } : {}),
      bytes: defect ? withDefect(spec, defect) : iso2709(spec),
    };
  }
}

function plantDefects(options: GenerateOptions): Map<number, BibDefect> {
  const planted = new Map<number, BibDefect>();
  const wanted = Object.entries(options.defects ?? {}).flatMap(([name, n]) =>
    Array<BibDefect>(n ?? 0).fill(name as BibDefect),
  );
  wanted.forEach((defect, i) => {
    let index = Math.floor(((i + 0.5) * options.count) / wanted.length);
    while (planted.has(index) && index < options.count - 1) index++;
    planted.set(index, defect);
  });
  return planted;
}

function withDefect(spec: RecordSpec, defect: BibDefect): Buffer {
  switch (defect) {
    case 'sparse':
      return iso2709({ ...spec, fields: spec.fields.filter(([tag]) => tag !== '245') });
    case 'no-lsn':
      return iso2709({ ...spec, fields: spec.fields.filter(([tag]) => tag !== '001') });
    case 'repeated-245a':
      return iso2709({
        ...spec,
        fields: spec.fields.map((f) => (f[0] === '245' ? [...f, 'a', 'Again'] : f)),
      });
    case 'invalid-utf8': {
      const bytes = iso2709({
        ...spec,
        fields: spec.fields.map((f) => (f[0] === '245' ? ['245', '10', 'a', 'Caf#'] : f)),
      });
      bytes[bytes.indexOf(Buffer.from('Caf#')) + 3] = 0xe9;
      return bytes;
    }
    case 'bad-directory': {
      const bytes = iso2709(spec);
      bytes.write('9999', 24 + 3, 'latin1');
      return bytes;
    }
    case 'truncated': {
      // The leader keeps its length; the bytes stop early and the next record follows at once.
      const bytes = iso2709(spec);
      return bytes.subarray(0, Math.floor(bytes.length / 2));
    }
  }
}
