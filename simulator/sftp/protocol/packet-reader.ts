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

  /** Offsets beyond 2^53 cannot be real files on this server; reading them as numbers is safe. */
  uint64(): number {
    this.#need(8);
    const value = Number(this.#buffer.readBigUInt64BE(this.#offset));
    this.#offset += 8;
    return value;
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
