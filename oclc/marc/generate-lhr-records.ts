import { iso2709, type RecordSpec } from './write-marc.ts';
import { LHR_DEFECTS } from './generator-defects.ts';

export { LHR_DEFECTS };

export type LhrDefect = keyof typeof LHR_DEFECTS;

export interface LhrGenerateOptions {
  count: number;
  seed: number;
  symbol: string;
  copiesPerOcn?: number;
  defects?: Partial<Record<LhrDefect, number>>;
}

const LIBRARIES = ['MAIN', 'SCI', 'ART', 'LAW'];
const LOCATIONS = ['stacks', 'reference', 'folio', 'reserve'];

/** The LSN of LHR `index`: an Alma-style holdings ID. */
export function generatedLhrLsn(index: number, seed: number): string {
  return `22${String(index + 1).padStart(9, '0')}${String(seed % 1000).padStart(3, '0')}6421`;
}

/**
 * Deterministic MFHD records, `copiesPerOcn` (default 2) per OCN, each with 007, 008, one 852
 * ($a symbol, $b library, $c location, $h/$i call number) and an 876 barcode; defects replace
 * whole records with known failures, spread evenly.
 */
export function* generateLhrRecords(
  options: LhrGenerateOptions,
): Generator<{ index: number; ocn: string; defect?: LhrDefect; bytes: Buffer }> {
  const copies = Math.max(1, options.copiesPerOcn ?? 2);
  const wanted = Object.entries(options.defects ?? {}).flatMap(([name, n]) =>
    Array<LhrDefect>(n ?? 0).fill(name as LhrDefect),
  );
  const planted = new Map(
    wanted.map((defect, i) => [Math.floor(((i + 0.5) * options.count) / wanted.length), defect]),
  );
  for (let index = 0; index < options.count; index++) {
    const group = Math.floor(index / copies);
    const ocn = String(10_000 + ((group * 7919 + options.seed * 104_729) % 90_000_000));
    const lsn = generatedLhrLsn(index, options.seed);
    const library = LIBRARIES[(group + index) % LIBRARIES.length] ?? 'MAIN';
    const spec: RecordSpec = {
      leader: '00000cx  a22000001n 4500',
      fields: [
        ['001', lsn],
        ['004', ocn],
        ['007', 'ta'],
        ['008', '2601152u    8   4001aa   0      1001120'],
        [
          '852',
          '01',
          'a',
          options.symbol,
          'b',
          library,
          'c',
          LOCATIONS[index % LOCATIONS.length] ?? 'stacks',
          'h',
          `QA${76 + (group % 20)}.${index % 97}`,
          'i',
          `.S${index % 9}`,
        ],
        ['876', '  ', 'p', `3901${String(index + 1).padStart(10, '0')}`],
      ],
    };
    const defect = planted.get(index);
    yield {
      index,
      ocn,
      ...(defect ? { defect } : {}),
      bytes: iso2709(defect ? withDefect(spec, defect) : spec),
    };
  }
}

function withDefect(spec: RecordSpec, defect: LhrDefect): RecordSpec {
  const fields = spec.fields;
  switch (defect) {
    case 'bib-record':
      return {
        leader: '00000nam a2200000 a 4500',
        fields: [
          ['001', fields[0]?.[1] ?? ''],
          ['245', '10', 'a', 'A bib record'],
        ],
      };
    case 'no-ocn':
      return { ...spec, fields: fields.filter(([tag]) => tag !== '004') };
    case 'two-852':
      return { ...spec, fields: [...fields, ['852', '01', 'a', fields[4]?.[3] ?? '', 'b', 'ANNEX']] };
    case 'no-852b':
      return { ...spec, fields: fields.map((f) => (f[0] === '852' ? ['852', '01', 'a', f[3] ?? ''] : f)) };
    case 'wrong-symbol':
      return {
        ...spec,
        fields: fields.map((f) => (f[0] === '852' ? ['852', '01', 'a', 'ZZZ', 'b', 'MAIN'] : f)),
      };
  }
}
