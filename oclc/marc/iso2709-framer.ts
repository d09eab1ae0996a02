import { RECORD_TERMINATOR } from './marc-record.ts';

export type Frame =
  { kind: 'frame'; offset: number; bytes: Buffer } | { kind: 'error'; offset: number; detail: string };

const MIN_RECORD = 26;
/**
 * Bytes tolerated between records: CR/LF from text-mode transfers, spaces, DOS EOF, stray
 * terminators and NUL padding (idzebra's sample-marc ends with three 0x1D and a NUL).
 */
const BETWEEN_RECORDS = new Set([0x00, 0x0d, 0x0a, 0x20, 0x1a, RECORD_TERMINATOR]);

/**
 * Splits an ISO 2709 byte stream into records by the leader's record length, whatever the chunk
 * sizes. A record that cannot be framed becomes an error at its byte offset, and framing
 * resynchronises on the next plausible leader (digits where the length and base address go, and a
 * record terminator where that length ends), so later records survive.
 */
export class Iso2709Framer {
  #chunks: Buffer[] = [];
  #pending = 0;
  /** Absolute offset of the first pending byte. */
  #offset = 0;
  /** After an error: skip forward to the next plausible leader. */
  #resyncing = false;

  push(chunk: Buffer): Frame[] {
    this.add(chunk);
    return this.#all(false);
  }

  end(): Frame[] {
    return this.#all(true);
  }

  /** Adds bytes without framing them yet: `next` then frames one record at a time. */
  add(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#pending += chunk.length;
  }

  /**
   * The next record or error, or undefined when more bytes are needed (`ended`: none will come).
   * One at a time, so a reader can hand each record on before framing the next: framing a whole
   * chunk first kept thousands of records alive at once, and the garbage collector copied them.
   */
  next(ended: boolean): Frame | undefined {
    if (this.#resyncing && !this.#resync(ended)) return undefined;
    this.#skipBetweenRecords();
    if (this.#pending === 0) return undefined;
    if (this.#pending < 5) {
      if (!ended) return undefined;
      return this.#fail(`truncated record: only ${this.#pending} byte(s) at the end of the file`);
    }
    const head = this.#peek(5);
    const length = digits(head, 0, 5);
    if (length === undefined || length < MIN_RECORD) {
      return this.#fail(
        `leader: record length "${printable(head)}" is not a number of at least ${MIN_RECORD}`,
      );
    }
    if (this.#pending < length) {
      if (!ended) return undefined;
      return this.#fail(
        `truncated record: the leader says ${length} bytes, the file ends after ${this.#pending}`,
      );
    }
    const bytes = this.#take(length);
    if (bytes[length - 1] !== RECORD_TERMINATOR) {
      this.#unshift(bytes.subarray(1));
      this.#offset -= length - 1;
      this.#resyncing = true;
      return {
        kind: 'error',
        offset: this.#offset - 1,
        detail: `no record terminator (0x1D) at the end of the ${length} bytes the leader declares`,
      };
    }
    return { kind: 'frame', offset: this.#offset - length, bytes };
  }

  #all(ended: boolean): Frame[] {
    const out: Frame[] = [];
    for (let frame = this.next(ended); frame; frame = this.next(ended)) out.push(frame);
    return out;
  }

  /** An error for the record starting here; framing then looks for the next leader. */
  #fail(detail: string): Frame {
    const error: Frame = { kind: 'error', offset: this.#offset, detail };
    this.#discard(1);
    this.#resyncing = true;
    return error;
  }

  /**
   * Drops bytes until a plausible leader whose declared length ends on a record terminator.
   * Returns false when more input is needed to decide.
   */
  #resync(ended: boolean): boolean {
    const data = this.#peek(this.#pending);
    for (let p = 0; p + 17 <= data.length; p++) {
      if (!plausibleLeader(data, p)) continue;
      const length = Number(data.toString('latin1', p, p + 5));
      if (p + length <= data.length) {
        if (data[p + length - 1] !== RECORD_TERMINATOR) continue;
        this.#discard(p);
        this.#resyncing = false;
        return true;
      }
      if (!ended) {
        this.#discard(p);
        return false;
      }
    }
    if (ended) {
      this.#discard(this.#pending);
      this.#resyncing = false;
      return true;
    }
    this.#discard(Math.max(0, data.length - 16));
    return false;
  }

  #skipBetweenRecords(): void {
    while (this.#pending > 0) {
      const first = this.#chunks[0];
      if (!first || !BETWEEN_RECORDS.has(first[0] ?? 0)) return;
      this.#discard(1);
    }
  }

  #peek(count: number): Buffer {
    this.#flatten(count);
    return (this.#chunks[0] ?? Buffer.alloc(0)).subarray(0, count);
  }

  #take(count: number): Buffer {
    const bytes = this.#peek(count);
    this.#discard(count);
    return bytes;
  }

  #unshift(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.#chunks.unshift(bytes);
    this.#pending += bytes.length;
  }

  #discard(count: number): void {
    let left = count;
    while (left > 0) {
      const first = this.#chunks[0];
      if (!first) break;
      if (first.length <= left) {
        this.#chunks.shift();
        left -= first.length;
      } else {
        this.#chunks[0] = first.subarray(left);
        left = 0;
      }
    }
    const removed = count - left;
    this.#pending -= removed;
    this.#offset += removed;
  }

  /**
   * Makes the first chunk hold at least `count` bytes, joining chunks only when needed, and then
   * only the bytes asked for: a record across two 1 MiB reads copies that record, not the next
   * read's megabyte (which was a copy of the whole file over a file).
   */
  #flatten(count: number): void {
    const first = this.#chunks[0];
    if (!first || first.length >= count || this.#chunks.length === 1) return;
    const parts: Buffer[] = [];
    let joined = 0;
    let index = 0;
    while (joined < count && index < this.#chunks.length) {
      const chunk = this.#chunks[index] ?? Buffer.alloc(0);
      const wanted = Math.min(chunk.length, count - joined);
      parts.push(wanted === chunk.length ? chunk : chunk.subarray(0, wanted));
      joined += wanted;
      if (wanted < chunk.length) {
        this.#chunks[index] = chunk.subarray(wanted);
        break;
      }
      index++;
    }
    this.#chunks.splice(0, index, Buffer.concat(parts, joined));
  }
}

function digits(bytes: Buffer, start: number, end: number): number | undefined {
  let value = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i];
    if (byte === undefined || byte < 0x30 || byte > 0x39) return undefined;
    value = value * 10 + (byte - 0x30);
  }
  return value;
}

/** Record length and base address are digits and consistent: enough to resume on. */
export function plausibleLeader(data: Buffer, start: number): boolean {
  const length = digits(data, start, start + 5);
  const base = digits(data, start + 12, start + 17);
  return length !== undefined && base !== undefined && length >= MIN_RECORD && base >= 25 && base < length;
}

function printable(bytes: Buffer): string {
  return [...bytes]
    .map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`))
    .join('');
}
