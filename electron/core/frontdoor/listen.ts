// The front door's own listeners on the public port: 127.0.0.1 always, and ::1 where the host has
// IPv6 (clients that resolve `localhost` to ::1 must reach us, not a foreign program on ::1).
import net from 'node:net';
import { assertPort } from '../port/probe';

/** Errors that mean the address cannot exist on this host (no IPv6), so there is nothing to listen on. */
const NO_SUCH_ADDRESS = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EPROTONOSUPPORT']);

/** The front door could not listen; `code` is the OS error (EADDRINUSE: another process holds the port). */
export class FrontDoorListenError extends Error {
  constructor(
    readonly port: number,
    readonly address: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    const why = code === 'EADDRINUSE' ? 'the port is in use by another process' : code;
    super(`The front door cannot listen on ${address.includes(':') ? `[${address}]` : address}:${port}: ${why}.`, options);
    this.name = 'FrontDoorListenError';
  }
}

function listenOn(address: string, port: number, onConnection: (socket: net.Socket) => void): Promise<net.Server> {
  // allowHalfOpen: a client's FIN must not close its other direction before the gateway answered.
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, onConnection);
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      server.close();
      reject(error);
    });
    server.listen({ host: address, port, ipv6Only: address === '::1' }, () => {
      server.removeAllListeners('error');
      // Accept errors (EMFILE…) must not crash the process; libuv keeps listening.
      server.on('error', () => {});
      resolve(server);
    });
  });
}

/** Listens on 127.0.0.1:port and, where IPv6 exists, [::1]:port. Rejects with FrontDoorListenError. */
export async function listenLoopback(port: number, onConnection: (socket: net.Socket) => void): Promise<net.Server[]> {
  assertPort(port);
  const servers: net.Server[] = [];
  try {
    servers.push(await listenOn('127.0.0.1', port, onConnection));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new FrontDoorListenError(port, '127.0.0.1', code, { cause: error });
  }
  try {
    servers.push(await listenOn('::1', port, onConnection));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    if (!NO_SUCH_ADDRESS.has(code)) {
      await closeServers(servers);
      throw new FrontDoorListenError(port, '::1', code, { cause: error });
    }
  }
  return servers;
}

/** Stops accepting; resolves when the listening sockets are closed (accepted ones are not touched). */
export function closeServers(servers: readonly net.Server[]): Promise<void> {
  return Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())))).then(() => undefined);
}
