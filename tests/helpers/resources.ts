// What this test process holds: sockets on given ports by TCP state (through the core's own socket
// monitor), open file descriptors, and active libuv resources (timers, sockets).
import fs from 'node:fs';
import { sampleSockets } from '../../electron/core/sockets/monitor';
import type { TcpStateCounts } from '../../electron/core/status';
import { waitFor } from './wait';

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

export interface Baseline {
  fds: number;
  resources: Record<string, number>;
}

export const takeBaseline = (): Baseline => ({ fds: openFdCount(), resources: activeResources() });

/**
 * Waits (bounded) until this process is back to `baseline`: no socket of ours on `ports` but our own
 * `listeners`, no more fds, timers or TCP handles. Rejects naming what is left (plus `context()`).
 */
export async function backToBaseline(
  ports: readonly number[],
  baseline: Baseline,
  { timeoutMs, listeners = 0, context = () => '' }: { timeoutMs: number; listeners?: number; context?: () => string },
): Promise<{ sockets: TcpStateCounts; fds: number }> {
  return waitFor(
    async () => {
      const { LISTEN: listening = 0, ...sockets } = await ourSockets(ports);
      const fds = openFdCount();
      const resources = activeResources();
      const extra = (kind: string) => (resources[kind] ?? 0) - (baseline.resources[kind] ?? 0);
      const clean =
        Object.keys(sockets).length === 0 && listening <= listeners && fds <= baseline.fds && extra('Timeout') <= 0 && extra('TCPSocketWrap') <= 0;
      return clean ? { sockets, fds } : undefined;
    },
    { timeoutMs, intervalMs: 100, what: 'sockets, fds and handles back to baseline' },
  ).catch(async (error: Error) => {
    throw new Error(
      `${error.message}\nsockets ${JSON.stringify(await ourSockets(ports))} fds ${openFdCount()}/${baseline.fds} ` +
        `resources ${JSON.stringify(activeResources())} baseline ${JSON.stringify(baseline.resources)} ${context()}`,
    );
  });
}
