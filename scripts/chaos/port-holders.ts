// Other processes on the gateway port, started by the driver between generations:
//  - a foreign listener (not a gateway: it accepts and closes) that Pincer must refuse to touch;
//  - TIME_WAIT / FIN_WAIT2 leftovers, made for real the way a force-killed gateway leaves them
//    (a server closes its connections first, then dies by kill -9), which must never block a start.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { readTcpTable } from '../../electron/core/sockets/tcp-table';
import type { TcpStateName } from '../../electron/core/status';
import { pollUntil } from './wait';

/** Every helper process the driver started, so cleanup can end them whatever happened. */
export const helperProcesses = new Set<ChildProcess>();

function startHelper(script: string, port: number): ChildProcess {
  const child = spawn(process.execPath, ['-e', script, String(port)], { stdio: ['ignore', 'pipe', 'ignore'] });
  helperProcesses.add(child);
  child.once('exit', () => helperProcesses.delete(child));
  return child;
}

async function killHelper(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** The first line the helper prints ('listening' or an error code), or 'exited'. */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', () => resolve('exited'));
  });
}

/** Not a gateway: accepts every connection and closes it at once (so it also closes first). */
const ACCEPT_AND_CLOSE = `
require('node:net').createServer((socket) => { socket.on('error', () => {}); socket.end(); })
  .on('error', (error) => { console.log(error.code || 'error'); process.exit(1); })
  .listen(Number(process.argv[1]), '127.0.0.1', () => console.log('listening'));
`;

export interface ForeignListener {
  pid: number;
  alive(): boolean;
  kill(): Promise<void>;
}

/** A foreign listener on 127.0.0.1:port, or the reason it could not bind (e.g. EADDRINUSE). */
export async function startForeignListener(port: number): Promise<ForeignListener | { failed: string }> {
  const child = startHelper(ACCEPT_AND_CLOSE, port);
  const line = await firstLine(child);
  if (line !== 'listening') {
    await killHelper(child);
    return { failed: line };
  }
  return { pid: child.pid!, alive: () => child.exitCode === null && child.signalCode === null, kill: () => killHelper(child) };
}

export interface Leftovers {
  timeWait: number;
  finWait2: number;
  /** Closes the stale clients that keep the FIN_WAIT2 sockets alive. */
  release(): void;
}

function connect(port: number, allowHalfOpen: boolean): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Counts the sockets whose local port is `port`, per state. */
export async function localStates(port: number): Promise<Partial<Record<TcpStateName, number>>> {
  const counts: Partial<Record<TcpStateName, number>> = {};
  for (const socket of await readTcpTable()) if (socket.localPort === port) counts[socket.state] = (counts[socket.state] ?? 0) + 1;
  return counts;
}

/** Leaves `port` with TIME_WAIT and FIN_WAIT2 sockets and no listener, or says why it could not. */
export async function makeLeftovers(port: number, timeWait: number, finWait2: number): Promise<Leftovers | { failed: string }> {
  const server = startHelper(ACCEPT_AND_CLOSE, port);
  const stale: net.Socket[] = [];
  const release = () => stale.forEach((socket) => socket.destroy());
  try {
    const line = await firstLine(server);
    if (line !== 'listening') return { failed: line };
    for (let i = 0; i < timeWait; i += 1) (await connect(port, false)).on('error', () => {});
    for (let i = 0; i < finWait2; i += 1) {
      const socket = await connect(port, true);
      socket.on('error', () => {});
      stale.push(socket);
    }
    await pollUntil(
      async () => {
        const states = await localStates(port);
        return (states.TIME_WAIT ?? 0) >= timeWait && (states.FIN_WAIT2 ?? 0) >= finWait2 ? true : undefined;
      },
      { timeoutMs: 10_000, what: 'the leftover server to close its connections first' },
    );
    await killHelper(server);
    const states = await pollUntil(
      async () => {
        const now = await localStates(port);
        return now.LISTEN === undefined ? now : undefined;
      },
      { timeoutMs: 10_000, what: 'the leftover listener to disappear' },
    );
    return { timeWait: states.TIME_WAIT ?? 0, finWait2: states.FIN_WAIT2 ?? 0, release };
  } catch (error) {
    release();
    return { failed: (error as Error).message };
  } finally {
    await killHelper(server);
  }
}
