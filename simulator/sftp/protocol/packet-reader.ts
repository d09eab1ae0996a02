import { ATTR_FLAG } from './sftp-constants.ts';
import type { SftpAttributes } from './sftp-attributes.ts';

/** A field ran past the end of its packet: the client sent a malformed request. */
export class BadPacketError extends Error {}

/** Reads the fields of one SFTP packet body in order. */
export class PacketReader {
  readonly #buffer: Buffer;
  #offset = 0;

  constructor(buffer: Buffer) {
    this.#buffer = buffer;
  }

  get remaining(): number {
    return this.#buffer.length - this.#offset;
  }

  byte(): number {
    this.#need(1);
    return this.#buffer.readUInt8(this.#offset++);
  }

  uint32(): number {
    this.#need(4);
    const value = this.#buffer.readUInt32BE(this.#offset);
    this.#offset += 4;
    return value;
  }

  /**
   * Exact up to 2^53 - 1; anything larger is Infinity, never a nearby number, so a client's 2^63
   * can never become an offset that exists (it was once 0). Every such value is past
   * `sftp.maxFileSize`, and the packet layer refuses it as that.
   */
  uint64(): number {
    this.#need(8);
    const value = this.#buffer.readBigUInt64BE(this.#offset);
    this.#offset += 8;
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(value);
  }

  bytes(): Buffer {
    const length = this.uint32();
    this.#need(length);
    const value = this.#buffer.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return value;
  }

  string(): string {
    return this.bytes().toString('utf8');
  }

  attributes(): SftpAttributes {
    const flags = this.uint32();
    const attrs: SftpAttributes = {};
    if (flags & ATTR_FLAG.SIZE) attrs.size = this.uint64();
    if (flags & ATTR_FLAG.UIDGID) {
      attrs.uid = this.uint32();
      attrs.gid = this.uint32();
    }
    if (flags & ATTR_FLAG.PERMISSIONS) attrs.permissions = this.uint32();
    if (flags & ATTR_FLAG.ACMODTIME) {
      attrs.atime = this.uint32();
      attrs.mtime = this.uint32();
    }
    if (flags & ATTR_FLAG.EXTENDED) {
      const count = this.uint32();
      for (let i = 0; i < count; i++) {
        this.bytes();
        this.bytes();
      }
    }
    return attrs;
  }

  #need(length: number): void {
    if (this.#offset + length > this.#buffer.length) throw new BadPacketError('packet too short');
  }
}
