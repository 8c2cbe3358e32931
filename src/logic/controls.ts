// Which of Start / Stop / Restart make sense right now. Pure, so the table test covers it.
import type { GatewayStatus } from '../../electron/core/status';

export type ControlAction = 'start' | 'stop' | 'restart';

export interface ControlState {
  enabled: boolean;
  /** Button text; shows progress while this action is pending. */
  label: string;
  /** Why the button is disabled (tooltip / accessible description), empty when enabled. */
  reason: string;
}

const IDLE_LABEL: Record<ControlAction, string> = { start: 'Start', stop: 'Stop', restart: 'Restart' };
const PENDING_LABEL: Record<ControlAction, string> = { start: 'Starting…', stop: 'Stopping…', restart: 'Restarting…' };

/** Whether the action means something in this status, and if not, why not. */
function meaning(action: ControlAction, status: GatewayStatus): string {
  const { state } = status;
  const hasProcess = status.pid !== undefined;
  switch (action) {
    case 'start':
      return state === 'stopped' || state === 'error' ? '' : `The gateway is ${state}.`;
    case 'stop':
      if (state === 'stopped') return 'The gateway is already stopped.';
      if (state === 'stopping') return 'The gateway is already stopping.';
      if (state === 'error' && !hasProcess) return 'No gateway process is running.';
      return '';
    case 'restart':
      if (status.attached) return 'Pincer did not start this gateway, so it cannot restart it.';
      if (state === 'running' || state === 'reconnecting') return '';
      if (state === 'error' && hasProcess) return '';
      if (state === 'stopped' || state === 'error') return 'Nothing to restart: use Start.';
      return `The gateway is ${state}.`;
  }
}

export function controlStates(
  status: GatewayStatus | undefined,
  pending: ControlAction | null,
): Record<ControlAction, ControlState> {
  const result = {} as Record<ControlAction, ControlState>;
  for (const action of ['start', 'stop', 'restart'] as const) {
    const label = pending === action ? PENDING_LABEL[action] : IDLE_LABEL[action];
    let reason: string;
    if (!status) reason = 'Waiting for the gateway status.';
    else if (pending) reason = 'Another action is in progress.';
    else reason = meaning(action, status);
    result[action] = { enabled: reason === '', label, reason: pending === action ? '' : reason };
  }
  return result;
}
