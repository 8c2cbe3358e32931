// The gateway facts panel as label/value rows. Pure: the view only writes the text.
import type { FrontDoorStatus, GatewayStatus, GatewaySource } from '../../electron/core/status';
import { formatAgo, formatClock, formatDuration, formatElapsed, formatExit } from './format';
import { lastStartMs } from './phases';

export interface Fact {
  /** data-testid of the value element. */
  id: string;
  label: string;
  value: string;
  /** A quieter second part of the value (where it came from, how long ago). */
  detail?: string;
  /** Extra detail (tooltip). */
  title?: string;
}

const SOURCE_TEXT: Record<GatewaySource, string> = {
  settings: 'from settings',
  bundled: 'bundled',
  user: 'your install',
  cache: 'dev cache',
  reference: 'built in',
};

const NONE = '—';

/** Uptime keeps ticking between events: from startedAt, else from the snapshot's uptime. */
export function uptimeMs(status: Pick<GatewayStatus, 'state' | 'startedAt' | 'uptimeMs' | 'at'>, now: number): number | undefined {
  if (status.state !== 'running') return undefined;
  if (status.startedAt !== undefined) return now - status.startedAt;
  if (status.uptimeMs !== undefined) return status.uptimeMs + (now - status.at);
  return undefined;
}

/** The few facts worth repeating next to the badge: what runs, which process, for how long. */
export function glance(status: GatewayStatus, now: number): string[] {
  const { gateway } = status;
  const kind = gateway.kind === 'openclaw' ? 'OpenClaw' : 'Reference gateway';
  const uptime = uptimeMs(status, now);
  return [
    gateway.version ? `${kind} ${gateway.version}` : kind,
    status.pid === undefined ? '' : `PID ${status.pid}`,
    uptime === undefined ? '' : `up ${formatDuration(uptime)}`,
    `${status.restarts} restart${status.restarts === 1 ? '' : 's'}`,
  ].filter(Boolean);
}

export function gatewayFacts(status: GatewayStatus, now: number): Fact[] {
  const { gateway } = status;
  const kind = gateway.kind === 'openclaw' ? 'OpenClaw' : 'Reference gateway';
  const uptime = uptimeMs(status, now);
  const lastStart = lastStartMs(status);
  return [
    { id: 'gateway-kind', label: 'Gateway', value: kind, detail: gateway.source ? SOURCE_TEXT[gateway.source] : undefined },
    { id: 'gateway-version', label: 'Version', value: gateway.version ?? NONE },
    { id: 'pid', label: 'PID', value: status.pid === undefined ? NONE : String(status.pid) },
    { id: 'port', label: 'Port', value: String(status.port) },
    { id: 'uptime', label: 'Uptime', value: uptime === undefined ? NONE : formatDuration(uptime) },
    { id: 'restarts', label: 'Restarts', value: String(status.restarts) },
    { id: 'reconnect-attempts', label: 'Reconnect attempts', value: String(status.reconnectAttempts) },
    {
      id: 'boot-id-changes',
      label: 'In-process restarts',
      value: String(status.bootIdChanges),
      title: 'Times the gateway restarted itself (its boot ID changed between connections)',
    },
    status.lastExit
      ? {
          id: 'last-exit',
          label: 'Last exit',
          value: formatExit(status.lastExit),
          detail: formatAgo(status.lastExit.at, now),
          title: `at ${formatClock(status.lastExit.at)}`,
        }
      : { id: 'last-exit', label: 'Last exit', value: NONE },
    { id: 'last-start', label: 'Last start took', value: lastStart === undefined ? NONE : formatElapsed(lastStart) },
  ];
}

export function frontDoorFacts(frontDoor: FrontDoorStatus): Fact[] {
  return [
    { id: 'fd-listen-port', label: 'Public port', value: String(frontDoor.listenPort) },
    { id: 'fd-internal-port', label: 'Gateway port (internal)', value: frontDoor.internalPort === undefined ? NONE : String(frontDoor.internalPort) },
    { id: 'fd-piped', label: 'Connections piped', value: String(frontDoor.pipedConnections) },
    { id: 'fd-held', label: 'Connections held', value: String(frontDoor.heldConnections), title: 'Waiting for the next gateway generation' },
    { id: 'fd-refused', label: 'Origins refused', value: String(frontDoor.refusedOrigins), title: 'Browser requests from web pages that were blocked' },
  ];
}
