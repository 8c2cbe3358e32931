// What each gateway state looks like and the one-line answer to "is my gateway up?".
import { START_PHASES, type GatewayState, type GatewayStatus, type StartPhase } from '../../electron/core/status';
import { formatAgo, formatExit } from './format';
import { t } from '../i18n';

/** Colour family of a state; the stylesheet maps each tone to a colour. */
export type Tone = 'ok' | 'busy' | 'idle' | 'bad';

const TONES: Record<GatewayState, Tone> = {
  stopped: 'idle',
  starting: 'busy',
  running: 'ok',
  restarting: 'busy',
  reconnecting: 'busy',
  stopping: 'busy',
  error: 'bad',
};

/** Labels are getters: they read the current language when rendered. */
export const STATE_LOOK = Object.fromEntries(
  Object.entries(TONES).map(([state, tone]) => [
    state,
    {
      get label() {
        return t(`stateLabel.${state as GatewayState}`);
      },
      tone,
    },
  ]),
) as Record<GatewayState, { readonly label: string; tone: Tone }>;

export const PHASE_LABELS = Object.defineProperties(
  {},
  Object.fromEntries(START_PHASES.map((phase) => [phase, { get: () => t(`phase.${phase}`), enumerable: true }])),
) as Readonly<Record<StartPhase, string>>;

/** One sentence under the badge: what is happening, in the user's terms. */
export function headline(status: GatewayStatus, now: number): string {
  const port = status.port;
  switch (status.state) {
    case 'running':
      return status.attached ? t('headline.runningAttached', { port }) : t('headline.running', { port });
    case 'starting':
      return status.phase ? t('headline.startingPhase', { port, phase: PHASE_LABELS[status.phase].toLowerCase() }) : t('headline.starting', { port });
    case 'restarting':
      return t('headline.restarting', { port });
    case 'reconnecting':
      return status.reconnectAttempts > 0 ? t('headline.reconnectingAttempt', { attempt: status.reconnectAttempts }) : t('headline.reconnecting');
    case 'stopping':
      return t('headline.stopping');
    case 'stopped':
      return status.lastExit
        ? t('headline.stoppedExit', { ago: formatAgo(status.lastExit.at, now), exit: formatExit(status.lastExit) })
        : t('headline.stopped');
    case 'error':
      // The error panel right below says why and what to do; the headline stays short.
      return t('headline.error', { port });
  }
}
