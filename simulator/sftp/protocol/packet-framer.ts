import { MAX_PACKET_LENGTH } from './sftp-constants.ts';

/**
 * Cuts the channel's byte stream into SFTP packets (uint32 length, then the body). Returns the
 * complete bodies; a partial packet waits for the next chunk.
 */
export class PacketFramer {
  #pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const packets: Buffer[] = [];
    while (this.#pending.length >= 4) {
      const length = this.#pending.readUInt32BE(0);
      if (length > MAX_PACKET_LENGTH) throw new RangeError(`packet of ${length} bytes is too long`);
      if (this.#pending.length < 4 + length) break;
      packets.push(this.#pending.subarray(4, 4 + length));
      this.#pending = this.#pending.subarray(4 + length);
    }
    return packets;
  }
}
