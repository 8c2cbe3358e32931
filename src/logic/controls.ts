// The dashboard's Start / Stop / Restart buttons: the core's shared rules (the tray uses the same)
// plus the page's own pending state. Pure, so the table test covers it.
import { CONTROL_ACTIONS, unavailableReason, type ControlAction } from '../../electron/core/controls';
import type { GatewayStatus } from '../../electron/core/status';
import type { MessageKey } from '../../electron/core/i18n';
import { t } from '../i18n';

export type { ControlAction };

export interface ControlState {
  enabled: boolean;
  /** Button text; shows progress while this action is pending. */
  label: string;
  /** Why the button is disabled (tooltip / accessible description), empty when enabled. */
  reason: string;
}

const IDLE_LABEL = { start: 'controls.start', stop: 'controls.stop', restart: 'controls.restart' } as const satisfies Record<
  ControlAction,
  MessageKey
>;
const PENDING_LABEL = { start: 'controls.starting', stop: 'controls.stopping', restart: 'controls.restarting' } as const satisfies Record<
  ControlAction,
  MessageKey
>;

export function controlStates(status: GatewayStatus | undefined, pending: ControlAction | null): Record<ControlAction, ControlState> {
  const result = {} as Record<ControlAction, ControlState>;
  for (const action of CONTROL_ACTIONS) {
    const label = t(pending === action ? PENDING_LABEL[action] : IDLE_LABEL[action]);
    let reason: string;
    if (!status) reason = t('controls.waiting');
    else if (pending) reason = t('controls.busy');
    else reason = unavailableReason(action, status, t);
    result[action] = { enabled: reason === '', label, reason: pending === action ? '' : reason };
  }
  return result;
}
