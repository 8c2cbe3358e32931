// Socket-state table rows for the gateway port. Pure.
import type { SocketReport, TcpStateName } from '../../electron/core/status';

/** Display order: the live states first, then the ones that mean a side is not closing. */
const ORDER: TcpStateName[] = [
  'LISTEN',
  'ESTABLISHED',
  'CLOSE_WAIT',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'LAST_ACK',
  'CLOSING',
  'TIME_WAIT',
  'SYN_SENT',
  'SYN_RECV',
  'CLOSE',
];

/** States that pile up when one side never closes its end (the leak the seed reports describe). */
const LEAK_STATES: ReadonlySet<TcpStateName> = new Set(['CLOSE_WAIT', 'FIN_WAIT2']);

export interface SocketRow {
  state: TcpStateName;
  ours: number;
  gateway: number;
  /** A leak-shaped state with sockets in it. */
  concern: boolean;
}

export function socketRows(report: Pick<SocketReport, 'ourSide' | 'gatewaySide'>): SocketRow[] {
  return ORDER.flatMap((state) => {
    const ours = report.ourSide[state] ?? 0;
    const gateway = report.gatewaySide[state] ?? 0;
    if (ours === 0 && gateway === 0) return [];
    return [{ state, ours, gateway, concern: LEAK_STATES.has(state) }];
  });
}
