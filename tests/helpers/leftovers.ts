// Makes a port that only has TIME_WAIT / FIN_WAIT2 leftovers — for real, the way a force-killed
// gateway leaves it (seed 000): a server closes its connections first, then dies by kill -9.
//  - clients that close back leave the server's side in TIME_WAIT;
//  - clients that keep their half open (a stale client) leave it in FIN_WAIT2, orphaned once the
//    server is gone (the kernel keeps it for tcp_fin_timeout, 60 s by default).
// No listener is left. The stale clients live in this process until release().
import { spawn } from 'node:child_process';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { readTcpTable } from '../../electron/core/sockets/tcp-table';
import type { TcpStateName } from '../../electron/core/status';
import { freePort } from './ports';
import { waitFor } from './wait';

export interface Leftovers {
  port: number;
  /** Server-side (local port) TIME_WAIT and FIN_WAIT2 sockets seen once the server was dead. */
  timeWait: number;
  finWait2: number;
  /** Closes the stale clients (their FIN_WAIT2 peers then pass to TIME_WAIT). */
  release(): void;
}

const SERVER = `
const net = require('node:net');
net.createServer((socket) => { socket.on('error', () => {}); socket.end(); })
  .listen(Number(process.argv[1]), '127.0.0.1', () => console.log('ready'));
`;

/** Counts the sockets whose local port is `port`, per state. */
export async function localStates(port: number): Promise<Partial<Record<TcpStateName, number>>> {
  const counts: Partial<Record<TcpStateName, number>> = {};
  for (const socket of await readTcpTable()) {
    if (socket.localPort === port) counts[socket.state] = (counts[socket.state] ?? 0) + 1;
  }
  return counts;
}

function connect(port: number, allowHalfOpen: boolean): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen }, () => resolve(socket));
    socket.once('error', reject);
  });
}

export async function makeLeftovers({ port, timeWait = 3, finWait2 = 3 }: { port?: number; timeWait?: number; finWait2?: number } = {}): Promise<Leftovers> {
  const target = port ?? (await freePort());
  const server = spawn(process.execPath, ['-e', SERVER, String(target)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stale: net.Socket[] = [];
  const release = (): void => {
    for (const socket of stale) socket.destroy();
  };
  try {
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: server.stdout! }).once('line', () => resolve());
      server.once('exit', (code) => reject(new Error(`leftover server exited early (${code})`)));
    });
    for (let i = 0; i < timeWait; i += 1) (await connect(target, false)).on('error', () => {});
    for (let i = 0; i < finWait2; i += 1) {
      const socket = await connect(target, true);
      socket.on('error', () => {});
      stale.push(socket);
    }
    await waitFor(
      async () => {
        const states = await localStates(target);
        return (states.TIME_WAIT ?? 0) >= timeWait && (states.FIN_WAIT2 ?? 0) >= finWait2;
      },
      { what: 'the server to close first' },
    );
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
    const states = await waitFor(
      async () => {
        const now = await localStates(target);
        return now.LISTEN === undefined ? now : undefined;
      },
      { what: 'the listener to disappear' },
    );
    return { port: target, timeWait: states.TIME_WAIT ?? 0, finWait2: states.FIN_WAIT2 ?? 0, release };
  } catch (error) {
    server.kill('SIGKILL');
    release();
    throw error;
  }
}
