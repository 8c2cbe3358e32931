// Counts the TCP sockets on the gateway port by state, split into Pincer's side and the
// gateway's, and says when the gateway leaves connections in CLOSE_WAIT (it is not closing them:
// hung or leaking — the failure of seed 001).
import { assertPort } from '../port/probe';
import { runTool } from '../process/exec';
import type { SocketReport, TcpStateCounts, TcpStateName } from '../status';
import { readSocketInodes } from '../process/procfs';
import { parseMacNetstat, parseWindowsNetstat } from './netstat';
import { readTcpTable } from './tcp-table';

/** A healthy gateway holds CLOSE_WAIT for microseconds; several at one instant is a leak or a hang. */
export const DEFAULT_CLOSE_WAIT_THRESHOLD = 3;

export interface SampleOptions {
  port: number;
  /** The Pincer process. */
  ourPid: number;
  /** The gateway's process tree. */
  gatewayPids: readonly number[];
  /** Gateway-side CLOSE_WAIT sockets from which the report carries a warning. */
  closeWaitThreshold?: number;
}

/** A socket on some port and who holds it. */
export interface OwnedSocket {
  localPort: number;
  remotePort: number;
  state: TcpStateName | undefined;
  owner: 'ours' | 'gateway' | undefined;
}

/** Tallies the sockets whose local or remote port is `port`, per side and state. */
export function tallySockets(sockets: readonly OwnedSocket[], port: number): Pick<SocketReport, 'ourSide' | 'gatewaySide'> {
  const ourSide: TcpStateCounts = {};
  const gatewaySide: TcpStateCounts = {};
  for (const socket of sockets) {
    if (socket.localPort !== port && socket.remotePort !== port) continue;
    if (!socket.state || !socket.owner) continue;
    const counts = socket.owner === 'ours' ? ourSide : gatewaySide;
    counts[socket.state] = (counts[socket.state] ?? 0) + 1;
  }
  return { ourSide, gatewaySide };
}

/** The warning for a gateway side with at least `threshold` sockets in CLOSE_WAIT, else undefined. */
export function closeWaitWarning(port: number, gatewaySide: TcpStateCounts, threshold = DEFAULT_CLOSE_WAIT_THRESHOLD): string | undefined {
  const closeWait = gatewaySide.CLOSE_WAIT ?? 0;
  if (closeWait < threshold) return undefined;
  const counts = Object.entries(gatewaySide)
    .map(([state, count]) => `${state} ${count}`)
    .join(', ');
  return `The gateway is not closing connections: ${closeWait} sockets in CLOSE_WAIT on port ${port} (gateway side: ${counts}).`;
}

async function linuxSockets(ourPid: number, gatewayPids: readonly number[]): Promise<OwnedSocket[]> {
  const [table, ours, ...gateways] = await Promise.all([readTcpTable(), readSocketInodes(ourPid), ...gatewayPids.map(readSocketInodes)]);
  const gateway = new Set(gateways.flatMap((inodes) => [...inodes]));
  return table.map((socket) => ({
    localPort: socket.localPort,
    remotePort: socket.remotePort,
    state: socket.state,
    // inode 0: no process holds it any more (TIME_WAIT, orphaned FIN_WAIT2)
    owner: socket.inode === 0 ? undefined : ours.has(socket.inode) ? 'ours' : gateway.has(socket.inode) ? 'gateway' : undefined,
  }));
}

async function netstatSockets(ourPid: number, gatewayPids: readonly number[]): Promise<OwnedSocket[]> {
  const windows = process.platform === 'win32';
  const result = await runTool('netstat', windows ? ['-ano'] : ['-anv', '-p', 'tcp']);
  const rows = (windows ? parseWindowsNetstat : parseMacNetstat)(result?.stdout ?? '');
  return rows.map((row) => ({
    localPort: row.localPort,
    remotePort: row.remotePort,
    state: row.state,
    owner: row.pid === ourPid ? 'ours' : row.pid !== undefined && gatewayPids.includes(row.pid) ? 'gateway' : undefined,
  }));
}

/** One sample of the sockets on the gateway port. */
export async function sampleSockets({ port, ourPid, gatewayPids, closeWaitThreshold }: SampleOptions): Promise<SocketReport> {
  assertPort(port);
  const sockets = process.platform === 'linux' ? await linuxSockets(ourPid, gatewayPids) : await netstatSockets(ourPid, gatewayPids);
  const { ourSide, gatewaySide } = tallySockets(sockets, port);
  const warning = closeWaitWarning(port, gatewaySide, closeWaitThreshold);
  return { port, sampledAt: Date.now(), ourSide, gatewaySide, ...(warning ? { warning } : {}) };
}
