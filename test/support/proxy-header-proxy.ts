import net from 'node:net';

/** A client address as a load balancer would announce it. */
export interface AnnouncedPeer {
  ip: string;
  port: number;
}

/** A PROXY protocol v1 line, written by hand as HAProxy's `send-proxy` sends it. */
export function proxyV1(source: AnnouncedPeer, target: AnnouncedPeer): Buffer {
  const family = net.isIPv6(source.ip) ? 'TCP6' : 'TCP4';
  return Buffer.from(`PROXY ${family} ${source.ip} ${target.ip} ${source.port} ${target.port}\r\n`);
}

const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

/** A PROXY protocol v2 header (command PROXY, TCP), built byte by byte from the specification. */
export function proxyV2(source: AnnouncedPeer, target: AnnouncedPeer): Buffer {
  const six = net.isIPv6(source.ip);
  const bytes = (ip: string): number[] => (six ? ipv6Bytes(ip) : ip.split('.').map(Number));
  const addresses = Buffer.from([...bytes(source.ip), ...bytes(target.ip), 0, 0, 0, 0]);
  addresses.writeUInt16BE(source.port, addresses.length - 4);
  addresses.writeUInt16BE(target.port, addresses.length - 2);
  const head = Buffer.from([0x21, six ? 0x21 : 0x11, 0, 0]);
  head.writeUInt16BE(addresses.length, 2);
  return Buffer.concat([V2_SIGNATURE, head, addresses]);
}

/** The v2 LOCAL command HAProxy's health checks send: no address, the connection's own applies. */
export function proxyV2Local(): Buffer {
  return Buffer.concat([V2_SIGNATURE, Buffer.from([0x20, 0x00, 0, 0])]);
}

function ipv6Bytes(ip: string): number[] {
  const [head = '', tail = ''] = ip.split('::');
  const groups = (part: string): string[] => (part ? part.split(':') : []);
  const known = [...groups(head), ...groups(tail)].length;
  const all = [...groups(head), ...Array<string>(8 - known).fill('0'), ...groups(tail)];
  return all.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

/**
 * A TCP proxy on loopback that writes `header` to the upstream before anything else, then passes
 * bytes both ways untouched: a load balancer in front of the simulator, as small as it gets.
 */
export async function startHeaderProxy(target: { host: string; port: number }, header: Buffer) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    upstream.write(header);
    client.pipe(upstream);
    upstream.pipe(client);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      a.on('close', () => {
        sockets.delete(a);
        b.destroy();
      });
      a.on('error', () => b.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    async [Symbol.asyncDispose](): Promise<void> {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
