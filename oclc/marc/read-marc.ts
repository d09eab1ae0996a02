import { Iso2709Reader } from './iso2709-reader.ts';
import type { MarcReadItem } from './marc-read-result.ts';
import { MarcxmlReader } from './marcxml-reader.ts';

export type MarcFormat = 'iso2709' | 'marcxml';

/** `.xml` names are MARCXML, everything else ISO 2709 (as OCLC decides by the extension). */
export function formatForName(name: string): MarcFormat {
  return /\.xml$/i.test(name) ? 'marcxml' : 'iso2709';
}

/** Streams records (and per-record errors) from any async source of byte chunks. */
export async function* readMarc(
  source: AsyncIterable<Buffer>,
  format: MarcFormat,
): AsyncGenerator<MarcReadItem> {
  const reader = format === 'marcxml' ? new MarcxmlReader() : new Iso2709Reader();
  for await (const chunk of source) yield* reader.push(chunk);
  yield* reader.end();
}
