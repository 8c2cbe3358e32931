// What this test process holds: sockets on given ports by TCP state (through the core's own socket
// monitor), open file descriptors, and active libuv resources (timers, sockets).
import fs from 'node:fs';
import { sampleSockets } from '../../electron/core/sockets/monitor';
import type { TcpStateCounts } from '../../electron/core/status';

export async function ourSockets(ports: readonly number[]): Promise<TcpStateCounts> {
  const total: TcpStateCounts = {};
  for (const port of ports) {
    const report = await sampleSockets({ port, ourPid: process.pid, gatewayPids: [] });
    for (const [state, count] of Object.entries(report.ourSide) as Array<[keyof TcpStateCounts, number]>) {
      total[state] = (total[state] ?? 0) + count;
    }
  }
  return total;
}

export function openFdCount(): number {
  return fs.readdirSync('/proc/self/fd').length;
}

/** Counts of active resources by kind (Timeout, TCPSocketWrap, …). */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}
