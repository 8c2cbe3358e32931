// The dashboard's Start / Stop / Restart buttons: the core's shared rules (the tray uses the same)
// plus the page's own pending state. Pure, so the table test covers it.
import { CONTROL_ACTIONS, unavailableReason, type ControlAction } from '../../electron/core/controls';
import type { GatewayStatus } from '../../electron/core/status';

export type { ControlAction };


export interface ControlState {
  enabled: boolean;
  /** Button text; shows progress while this action is pending. */
  label: string;
  /** Why the button is disabled (tooltip / accessible description), empty when enabled. */
  reason: string;
}

const IDLE_LABEL: Record<ControlAction, string> = { start: 'Start', stop: 'Stop', restart: 'Restart' };
const PENDING_LABEL: Record<ControlAction, string> = { start: 'Starting…', stop: 'Stopping…', restart: 'Restarting…' };

export function controlStates(
  status: GatewayStatus | undefined,
  pending: ControlAction | null,
): Record<ControlAction, ControlState> {
  const result = {} as Record<ControlAction, ControlState>;
  for (const action of CONTROL_ACTIONS) {
    const label = pending === action ? PENDING_LABEL[action] : IDLE_LABEL[action];
    let reason: string;
    if (!status) reason = 'Waiting for the gateway status.';
    else if (pending) reason = 'Another action is in progress.';
    else reason = unavailableReason(action, status);
    result[action] = { enabled: reason === '', label, reason: pending === action ? '' : reason };
  }
  return result;
}
