import { checkEncoding } from './check-encoding.ts';
import { Iso2709Framer, type Frame } from './iso2709-framer.ts';
import type { MarcReadItem } from './marc-read-result.ts';
import { parseIso2709Record } from './parse-iso2709-record.ts';

/** Frames, parses and checks ISO 2709 records chunk by chunk; errors become items, never throws. */
export class Iso2709Reader {
  readonly #framer = new Iso2709Framer();

  push(chunk: Buffer): MarcReadItem[] {
    return this.#framer.push(chunk).map(toItem);
  }

  end(): MarcReadItem[] {
    return this.#framer.end().map(toItem);
  }

  /** A chunk's items, framed and parsed one at a time as they are taken (`ended`: the last chunk). */
  *each(chunk: Buffer, ended = false): Generator<MarcReadItem> {
    this.#framer.add(chunk);
    for (let frame = this.#framer.next(ended); frame; frame = this.#framer.next(ended)) yield toItem(frame);
  }
}

function toItem(frame: Frame): MarcReadItem {
  if (frame.kind === 'error')
    return { kind: 'error', offset: frame.offset, code: 'crosswalk_error', detail: frame.detail };
  const parsed = parseIso2709Record(frame.bytes);
  if (!parsed.ok)
    return { kind: 'error', offset: frame.offset, code: 'crosswalk_error', detail: parsed.detail };
  const problem = checkEncoding(parsed.record);
  if (problem) return { kind: 'error', offset: frame.offset, code: problem.code, detail: problem.detail };
  return { kind: 'record', offset: frame.offset, record: parsed.record };
}
