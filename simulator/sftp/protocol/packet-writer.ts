import { ATTR_FLAG } from './sftp-constants.ts';
import type { SftpAttributes } from './sftp-attributes.ts';

/** Builds one SFTP packet: fields are appended in order, `finish()` adds the length prefix. */
export class PacketWriter {
  readonly #parts: Buffer[] = [];

  constructor(type: number) {
    this.byte(type);
  }

  byte(value: number): this {
    this.#parts.push(Buffer.from([value]));
    return this;
  }

  uint32(value: number): this {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32BE(value >>> 0);
    this.#parts.push(buffer);
    return this;
  }

  uint64(value: number): this {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(value))));
    this.#parts.push(buffer);
    return this;
  }

  bytes(value: Buffer): this {
    this.uint32(value.length);
    this.#parts.push(value);
    return this;
  }

  string(value: string): this {
    return this.bytes(Buffer.from(value, 'utf8'));
  }

  attributes(attrs: SftpAttributes): this {
    let flags = 0;
    if (attrs.size !== undefined) flags |= ATTR_FLAG.SIZE;
    if (attrs.uid !== undefined && attrs.gid !== undefined) flags |= ATTR_FLAG.UIDGID;
    if (attrs.permissions !== undefined) flags |= ATTR_FLAG.PERMISSIONS;
    if (attrs.atime !== undefined && attrs.mtime !== undefined) flags |= ATTR_FLAG.ACMODTIME;
    this.uint32(flags);
    if (flags & ATTR_FLAG.SIZE) this.uint64(attrs.size ?? 0);
    if (flags & ATTR_FLAG.UIDGID) this.uint32(attrs.uid ?? 0).uint32(attrs.gid ?? 0);
    if (flags & ATTR_FLAG.PERMISSIONS) this.uint32(attrs.permissions ?? 0);
    if (flags & ATTR_FLAG.ACMODTIME) this.uint32(attrs.atime ?? 0).uint32(attrs.mtime ?? 0);
    return this;
  }

  finish(): Buffer {
    const body = Buffer.concat(this.#parts);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    return Buffer.concat([length, body]);
  }
}
