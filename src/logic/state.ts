// What each gateway state looks like and the one-line answer to "is my gateway up?".
import type { GatewayState, GatewayStatus, StartPhase } from '../../electron/core/status';
import { formatAgo, formatExit } from './format';

/** Colour family of a state; the stylesheet maps each tone to a colour. */
export type Tone = 'ok' | 'busy' | 'idle' | 'bad';

export const STATE_LOOK: Record<GatewayState, { label: string; tone: Tone }> = {
  stopped: { label: 'Stopped', tone: 'idle' },
  starting: { label: 'Starting', tone: 'busy' },
  running: { label: 'Running', tone: 'ok' },
  restarting: { label: 'Restarting', tone: 'busy' },
  reconnecting: { label: 'Reconnecting', tone: 'busy' },
  stopping: { label: 'Stopping', tone: 'busy' },
  error: { label: 'Error', tone: 'bad' },
};

export const PHASE_LABELS: Record<StartPhase, string> = {
  'probing-port': 'Probing port',
  spawning: 'Spawning',
  'waiting-ready': 'Waiting for ready',
  connecting: 'Connecting',
};

/** One sentence under the badge: what is happening, in the user's terms. */
export function headline(status: GatewayStatus, now: number): string {
  const port = status.port;
  switch (status.state) {
    case 'running':
      return status.attached
        ? `Gateway is up on port ${port} (one that was already running; Pincer is watching it).`
        : `Gateway is up on port ${port}.`;
    case 'starting':
      return status.phase
        ? `Starting the gateway on port ${port}: ${PHASE_LABELS[status.phase].toLowerCase()}…`
        : `Starting the gateway on port ${port}…`;
    case 'restarting':
      return `Restarting the gateway on port ${port}…`;
    case 'reconnecting':
      return status.reconnectAttempts > 0
        ? `Lost the connection to the gateway; reconnecting (attempt ${status.reconnectAttempts})…`
        : 'Lost the connection to the gateway; reconnecting…';
    case 'stopping':
      return 'Stopping the gateway…';
    case 'stopped':
      return status.lastExit
        ? `The gateway is not running. It last stopped ${formatAgo(status.lastExit.at, now)} (${formatExit(status.lastExit)}).`
        : 'The gateway is not running.';
    case 'error':
      // The error panel right below says why and what to do; the headline stays short.
      return `The gateway is down on port ${port}.`;
  }
}
