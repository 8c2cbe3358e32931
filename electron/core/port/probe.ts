// Is anyone listening on a loopback port? A TCP connect answers in about a millisecond, and
// ECONNREFUSED means no listener whatever TIME_WAIT/FIN_WAIT2 leftovers the port has. A bind
// test would be wrong twice: it trips over leftovers on some systems (seed 000) and it races the
// real bind that follows. Callers do the real listen()/spawn and handle EADDRINUSE themselves.
import net from 'node:net';

export const LOOPBACK_ADDRESSES = ['127.0.0.1', '::1'] as const;
export type LoopbackAddress = (typeof LOOPBACK_ADDRESSES)[number];

export interface PortProbe {
  listening: boolean;
  /** The loopback addresses where something accepted (or held) our connect. */
  addresses: LoopbackAddress[];
}

export const DEFAULT_PROBE_TIMEOUT_MS = 1_000;

/** Errors that mean the address cannot exist here (a host without IPv6), so nothing listens on it. */
const NO_SUCH_ADDRESS = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EPROTONOSUPPORT', 'ENETUNREACH']);

/** The one port-range check: an integer 1–65535. */
export function isTcpPort(port: unknown): port is number {
  return Number.isInteger(port) && (port as number) >= 1 && (port as number) <= 65535;
}

export function assertPort(port: number): void {
  if (!isTcpPort(port)) throw new RangeError(`not a TCP port: ${String(port)}`);
}

/**
 * Connect-probes 127.0.0.1 and ::1 in parallel (never `localhost`, which resolves to one of them).
 * Rejects only on a failure that says nothing about the port (e.g. no free local port to connect from).
 */
export async function probePort(port: number, { timeoutMs = DEFAULT_PROBE_TIMEOUT_MS }: { timeoutMs?: number } = {}): Promise<PortProbe> {
  assertPort(port);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError(`timeoutMs must be a positive number, got ${String(timeoutMs)}`);
  const answers = await Promise.all(LOOPBACK_ADDRESSES.map((host) => probeAddress(host, port, timeoutMs)));
  const addresses = LOOPBACK_ADDRESSES.filter((_, index) => answers[index]);
  return { listening: addresses.length > 0, addresses };
}

function probeAddress(host: LoopbackAddress, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      outcome();
    };
    // No answer in time still means someone holds the port: a listener whose accept queue is full
    // (a hung gateway) drops our SYN instead of refusing it. Only a refusal proves the port free.
    const timer = setTimeout(() => settle(() => resolve(true)), timeoutMs);
    socket.once('connect', () => {
      // TCP self-connect: with no listener, a connect to a port in the ephemeral range can pick
      // that very port as its source and "succeed" against itself.
      const selfConnected = socket.localPort === port && socket.localAddress === host;
      settle(() => resolve(!selfConnected));
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset during the connect comes from a listener that is closing (seen during OpenClaw's
      // in-process restart): it will accept nothing, like a refusal. Rejecting would fail the gate.
      if (error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET') return settle(() => resolve(false));
      if (host === '::1' && error.code && NO_SUCH_ADDRESS.has(error.code)) return settle(() => resolve(false));
      settle(() => reject(new Error(`cannot probe ${host} port ${port}: ${error.code ?? error.message}`, { cause: error })));
    });
  });
}
