// A free loopback port chosen by the OS, for a gateway generation behind the front door.
import net from 'node:net';

/** OpenClaw's default port: the user's own gateway may want it, so it is never handed out. */
const RESERVED = new Set([18789]);

export async function pickFreePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port: chosen } = server.address() as net.AddressInfo;
        server.close(() => resolve(chosen));
      });
    });
    if (!RESERVED.has(port)) return port;
  }
}
