import { isIP, type Socket } from 'node:net';
import { V1ProxyProtocol, V2ProxyProtocol } from 'proxy-protocol-js';

/** A client's address as the load balancer announced it. */
export interface Peer {
  ip: string;
  port: number;
}

const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V1_PREFIX = Buffer.from('PROXY ');
/** The longest v1 line the specification allows, CRLF included. */
const V1_MAX = 107;
/** v2: signature, version and command, family, and a 16-bit length of what follows. */
const V2_FIXED = 16;
/** HAProxy writes the header with its first packet; a peer silent this long is not HAProxy. */
export const PROXY_HEADER_TIMEOUT_MS = 10_000;

/** Whether `chunk` (a connection's first bytes) starts like a PROXY protocol header. */
export function looksLikeProxyHeader(chunk: Buffer): boolean {
  const head = chunk.subarray(0, 6);
  return (
    head.length > 0 &&
    (V1_PREFIX.subarray(0, head.length).equals(head) || V2_SIGNATURE.subarray(0, head.length).equals(head))
  );
}

/**
 * Reads a PROXY protocol v1 or v2 header from the start of `socket` and leaves what follows it
 * (the client's SSH version line) unread on the socket. Resolves with the announced client, or
 * with undefined for a header that announces none (v2 LOCAL, as HAProxy's health checks send,
 * or v1 UNKNOWN); rejects with a reason for anything else.
 */
export function readProxyHeader(
  socket: Socket,
  timeoutMs = PROXY_HEADER_TIMEOUT_MS,
): Promise<Peer | undefined> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const finish = (outcome: () => void): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onClose);
      socket.pause();
      outcome();
    };
    const fail = (reason: string): void => finish(() => reject(new Error(reason)));
    const timer = setTimeout(() => fail(`no PROXY protocol header within ${timeoutMs / 1000} s`), timeoutMs);
    timer.unref();
    const onClose = (): void => fail('the connection closed before its PROXY protocol header');
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const length = headerLength(received);
      if (length === 'more') return;
      if (length === 'none') {
        fail('no PROXY protocol header (sftp.proxyProtocol is on: connect through the load balancer)');
        return;
      }
      const rest = received.subarray(length);
      let peer: Peer | undefined;
      try {
        peer = parseHeader(received.subarray(0, length));
      } catch (error) {
        fail(`not a valid PROXY protocol header (${(error as Error).message})`);
        return;
      }
      finish(() => {
        if (rest.length > 0) socket.unshift(rest);
        resolve(peer);
      });
    };
    socket.on('data', onData);
    socket.once('close', onClose);
    // A reset before the header must not become an uncaught 'error'.
    socket.on('error', onClose);
  });
}

/** The header's length once it is all there, 'more' while it may still come, 'none' if it is not one. */
function headerLength(data: Buffer): number | 'more' | 'none' {
  if (!looksLikeProxyHeader(data)) return 'none';
  if (data[0] === V1_PREFIX[0]) {
    const end = data.subarray(0, V1_MAX).indexOf('\r\n');
    if (end >= 0) return end + 2;
    return data.length >= V1_MAX ? 'none' : 'more';
  }
  if (data.length < V2_FIXED) return 'more';
  if (!data.subarray(0, V2_SIGNATURE.length).equals(V2_SIGNATURE)) return 'none';
  const total = V2_FIXED + data.readUInt16BE(14);
  return data.length >= total ? total : 'more';
}

function parseHeader(header: Buffer): Peer | undefined {
  if (header[0] === V1_PREFIX[0]) {
    // UNKNOWN: the balancer could not tell (the library's pattern wants addresses after it).
    if (header.toString('latin1').startsWith('PROXY UNKNOWN')) return undefined;
    const v1 = V1ProxyProtocol.parse(header.toString('latin1'));
    return checked(v1.source.ipAddress, v1.source.port);
  }
  const v2 = V2ProxyProtocol.parse(new Uint8Array(header));
  // LOCAL (command 0): the load balancer speaking for itself, as its health checks do.
  if (v2.command === 0) return undefined;
  const address = v2.proxyAddress as { sourceAddress?: { address: number[] }; sourcePort?: number };
  const bytes = address.sourceAddress?.address;
  if (!bytes || address.sourcePort === undefined) throw new Error('it announces no IPv4 or IPv6 source');
  return checked(bytes.length === 4 ? bytes.join('.') : ipv6(bytes), address.sourcePort);
}

function checked(ip: string, port: number): Peer {
  if (isIP(ip) === 0) throw new Error(`${JSON.stringify(ip)} is not an IP address`);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`port ${port} is out of range`);
  return { ip: new URL(`http://${isIP(ip) === 6 ? `[${ip}]` : ip}`).hostname.replace(/^\[|\]$/g, ''), port };
}

function ipv6(bytes: readonly number[]): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return groups.join(':');
}
