import { createRequire } from 'node:module';
import type { Connection } from 'ssh2';

const require = createRequire(import.meta.url);

interface PacketWriter {
  allocStart: number;
  alloc(size: number): Buffer;
  finalize(packet: Buffer): Buffer;
}

interface ProtocolInternals {
  _packetRW: { write: PacketWriter };
}

const { sendPacket } = require('ssh2/lib/protocol/utils.js') as {
  sendPacket: (protocol: ProtocolInternals, packet: Buffer) => void;
};

const USERAUTH_BANNER = 53;

/**
 * Sends SSH_MSG_USERAUTH_BANNER during authentication. ssh2 only sends the one static banner at
 * service accept, before the user name is known, but explaining a refused login needs the name;
 * RFC 4252 §5.4 allows a banner at any time before authentication succeeds.
 */
export function sendAuthBanner(client: Connection, text: string): void {
  const protocol = (client as unknown as { _protocol?: ProtocolInternals })._protocol;
  if (!protocol) return;
  const message = text.endsWith('\r\n') ? text : `${text}\r\n`;
  const length = Buffer.byteLength(message);
  const writer = protocol._packetRW.write;
  let offset = writer.allocStart;
  const packet = writer.alloc(1 + 4 + length + 4);
  packet[offset] = USERAUTH_BANNER;
  packet.writeUInt32BE(length, ++offset);
  packet.write(message, (offset += 4), length, 'utf8');
  packet.writeUInt32BE(0, offset + length);
  sendPacket(protocol, writer.finalize(packet));
}
