// The gateway facts panel as label/value rows. Pure: the view only writes the text.
import type { FrontDoorStatus, GatewayStatus, GatewaySource } from '../../electron/core/status';
import { formatAgo, formatClock, formatDuration, formatElapsed, formatExit } from './format';
import { lastStartMs } from './phases';
import { t } from '../i18n';

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

const sourceText = (source: GatewaySource): string => t(`source.${source}`);

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
  const kind = gateway.kind === 'openclaw' ? 'OpenClaw' : t('glance.referenceGateway');
  const uptime = uptimeMs(status, now);
  return [
    gateway.version ? `${kind} ${gateway.version}` : kind,
    status.pid === undefined ? '' : t('glance.pid', { pid: status.pid }),
    uptime === undefined ? '' : t('glance.up', { uptime: formatDuration(uptime) }),
    t(status.restarts === 1 ? 'glance.restart' : 'glance.restarts', { count: status.restarts }),
  ].filter(Boolean);
}

export function gatewayFacts(status: GatewayStatus, now: number): Fact[] {
  const { gateway } = status;
  const kind = gateway.kind === 'openclaw' ? 'OpenClaw' : t('glance.referenceGateway');
  const uptime = uptimeMs(status, now);
  const lastStart = lastStartMs(status);
  return [
    { id: 'gateway-kind', label: t('fact.gateway'), value: kind, detail: gateway.source ? sourceText(gateway.source) : undefined },
    { id: 'gateway-version', label: t('fact.version'), value: gateway.version ?? NONE },
    { id: 'pid', label: t('fact.pid'), value: status.pid === undefined ? NONE : String(status.pid) },
    { id: 'port', label: t('fact.port'), value: String(status.port) },
    { id: 'uptime', label: t('fact.uptime'), value: uptime === undefined ? NONE : formatDuration(uptime) },
    { id: 'restarts', label: t('fact.restarts'), value: String(status.restarts) },
    { id: 'reconnect-attempts', label: t('fact.reconnectAttempts'), value: String(status.reconnectAttempts) },
    {
      id: 'boot-id-changes',
      label: t('fact.bootIdChanges'),
      value: String(status.bootIdChanges),
      title: t('fact.bootIdChangesTitle'),
    },
    status.lastExit
      ? {
          id: 'last-exit',
          label: t('fact.lastExit'),
          value: formatExit(status.lastExit),
          detail: formatAgo(status.lastExit.at, now),
          title: t('fact.lastExitAt', { time: formatClock(status.lastExit.at) }),
        }
      : { id: 'last-exit', label: t('fact.lastExit'), value: NONE },
    { id: 'last-start', label: t('fact.lastStart'), value: lastStart === undefined ? NONE : formatElapsed(lastStart) },
  ];
}

export function frontDoorFacts(frontDoor: FrontDoorStatus): Fact[] {
  return [
    { id: 'fd-listen-port', label: t('fact.publicPort'), value: String(frontDoor.listenPort) },
    { id: 'fd-internal-port', label: t('fact.internalPort'), value: frontDoor.internalPort === undefined ? NONE : String(frontDoor.internalPort) },
    { id: 'fd-piped', label: t('fact.piped'), value: String(frontDoor.pipedConnections) },
    { id: 'fd-held', label: t('fact.held'), value: String(frontDoor.heldConnections), title: t('fact.heldTitle') },
    { id: 'fd-refused', label: t('fact.refused'), value: String(frontDoor.refusedOrigins), title: t('fact.refusedTitle') },
  ];
}
