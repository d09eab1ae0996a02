import { MAX_PACKET_LENGTH } from './sftp-constants.ts';

/**
 * Cuts the channel's byte stream into SFTP packets (uint32 length, then the body). Returns the
 * complete bodies; a partial packet waits for the next chunk.
 *
 * A packet inside one chunk is a view of it (no copy). A packet split over chunks (a 32 KiB WRITE
 * always is: ssh2's channel packets are 32 KiB) is copied once into a buffer of its own size as
 * its last byte arrives. Joining the held bytes with each new chunk instead copied every chunk
 * into a new buffer twice its size, a third of an upload's short-lived memory (D30).
 */
export class PacketFramer {
  /** Chunks (or their unread ends) of a packet not complete yet. */
  #held: Buffer[] = [];
  #heldBytes = 0;
  /** The held packet's whole size (length field included), once its length field is in. */
  #needed: number | undefined;

  push(chunk: Buffer): Buffer[] {
    const packets: Buffer[] = [];
    let rest = chunk;
    if (this.#heldBytes > 0) {
      const needed = (this.#needed ??= this.#neededBytes(rest));
      if (needed === undefined || this.#heldBytes + rest.length < needed) {
        this.#hold(rest);
        return packets;
      }
      const take = needed - this.#heldBytes;
      const whole = Buffer.allocUnsafe(needed);
      let at = 0;
      for (const part of this.#held) at += part.copy(whole, at);
      rest.copy(whole, at, 0, take);
      this.#held = [];
      this.#heldBytes = 0;
      this.#needed = undefined;
      packets.push(whole.subarray(4));
      rest = rest.subarray(take);
    }
    while (rest.length >= 4) {
      const length = checkedLength(rest.readUInt32BE(0));
      if (rest.length < 4 + length) break;
      packets.push(rest.subarray(4, 4 + length));
      rest = rest.subarray(4 + length);
    }
    if (rest.length > 0) this.#hold(rest);
    return packets;
  }

  #hold(part: Buffer): void {
    this.#held.push(part);
    this.#heldBytes += part.length;
  }

  /** The held packet's whole size, or undefined while its length field is incomplete. */
  #neededBytes(next: Buffer): number | undefined {
    if (this.#heldBytes + next.length < 4) return undefined;
    const header = Buffer.concat([...this.#held, next.subarray(0, 4)], 4);
    return 4 + checkedLength(header.readUInt32BE(0));
  }
}

function checkedLength(length: number): number {
  if (length > MAX_PACKET_LENGTH) throw new RangeError(`packet of ${length} bytes is too long`);
  return length;
}
