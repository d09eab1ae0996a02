import net from 'node:net';

/**
 * A TCP proxy on loopback that cuts its first `failures` connections after `cutAfter` bytes from
 * the client, as a dropped link would (`reset`, the default), or closes them in order as a server
 * that shuts a session down would (`close`), and passes later connections through untouched.
 */
export async function startFlakyProxy(
  target: { host: string; port: number },
  options: { failures: number; cutAfter: number; cut?: 'reset' | 'close' },
) {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const index = connections++;
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let sent = 0;
    client.on('data', (data: Buffer) => {
      if (upstream.writableEnded) return;
      sent += data.length;
      if (index < options.failures && sent > options.cutAfter) {
        if (options.cut === 'close') {
          client.end();
          upstream.end();
        } else {
          client.destroy();
          upstream.destroy();
        }
        return;
      }
      upstream.write(data);
    });
    upstream.on('data', (data: Buffer) => client.write(data));
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      a.on('close', () => b.destroy());
      a.on('error', () => b.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
