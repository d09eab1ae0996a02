import { Iso2709Reader } from './iso2709-reader.ts';
import type { MarcReadItem } from './marc-read-result.ts';

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
  for await (const items of readMarcChunks(source, format)) yield* items;
}

/**
 * The same items, a chunk's worth at a time, to be taken with a plain `for…of`: one await per
 * chunk instead of one per record (a million records cost a million promises otherwise). ISO 2709
 * items are framed as they are taken, so each must be taken before the next chunk is asked for.
 */
export async function* readMarcChunks(
  source: AsyncIterable<Buffer>,
  format: MarcFormat,
): AsyncGenerator<Iterable<MarcReadItem>> {
  if (format === 'marcxml') {
    // Loaded at first use: saxes is a tenth of the processing worker's start-up (D14).
    const { MarcxmlReader } = await import('./marcxml-reader.ts');
    const reader = new MarcxmlReader();
    for await (const chunk of source) yield reader.push(chunk);
    yield reader.end();
    return;
  }
  const reader = new Iso2709Reader();
  for await (const chunk of source) yield reader.each(chunk);
  yield reader.each(Buffer.alloc(0), true);
}
