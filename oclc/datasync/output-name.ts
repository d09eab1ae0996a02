import { FREQUENCY_LETTER } from './delivery-schedule.ts';
import { easternStamp } from '../reports/eastern-time.ts';
import type { OutputFrequency, OutputKind } from './output-settings.ts';

export interface OutputNameParts {
  /** The institution symbol as written in names (`@ $ #` encoded). */
  symbol: string;
  kind: OutputKind;
  frequency: OutputFrequency;
  /** The delivery time; the name carries it in US Eastern time. */
  deliveredAt: number;
  collectionId: string;
  /** 1, 2, … when a delivery needs more than one file of a kind. */
  n: number;
  format: 'marc21' | 'marcxml';
}

/**
 * `metacoll.<SYMBOL>.<kind>.<D|W|M|Q><YYYYMMDD>.T<HHMMSS>.<collection id>.<n>.<mrc|xml>`, the
 * name OCLC gives output files (a production parser expects exactly this shape).
 */
export function outputFileName(p: OutputNameParts): string {
  const { date, time } = easternStamp(p.deliveredAt);
  const ext = p.format === 'marcxml' ? 'xml' : 'mrc';
  return `metacoll.${p.symbol.toUpperCase()}.${p.kind}.${FREQUENCY_LETTER[p.frequency]}${date}.T${time.slice(0, 6)}.${p.collectionId}.${p.n}.${ext}`;
}

const NAME =
  /^metacoll\.([A-Z0-9_]+)\.(new|updates|deletes|merges)\.([DWMQ])(\d{8})\.T(\d{6})\.([^.]+)\.(\d+)\.(mrc|xml)(\.zip)?$/;

export interface ParsedOutputName {
  symbol: string;
  kind: OutputKind;
  letter: 'D' | 'W' | 'M' | 'Q';
  date: string;
  time: string;
  collectionId: string;
  n: number;
  ext: 'mrc' | 'xml';
  zipped: boolean;
}

/** Reads an output file name (zipped or not); undefined when it is not one. */
export function parseOutputFileName(name: string): ParsedOutputName | undefined {
  const m = NAME.exec(name);
  if (!m) return undefined;
  return {
    symbol: m[1] ?? '',
    kind: m[2] as OutputKind,
    letter: m[3] as ParsedOutputName['letter'],
    date: m[4] ?? '',
    time: m[5] ?? '',
    collectionId: m[6] ?? '',
    n: Number(m[7]),
    ext: m[8] as 'mrc' | 'xml',
    zipped: m[9] !== undefined,
  };
}
