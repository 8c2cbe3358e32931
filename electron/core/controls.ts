// Which of Start / Stop / Restart make sense for a status. Pure, shared by the tray menu and the
// dashboard, so both offer the same actions at the same time.
import type { GatewayStatus } from './status';

export type ControlAction = 'start' | 'stop' | 'restart';

export const CONTROL_ACTIONS: readonly ControlAction[] = ['start', 'stop', 'restart'];

/** Why the action means nothing in this status, or '' when it is available. */
export function unavailableReason(action: ControlAction, status: Pick<GatewayStatus, 'state' | 'pid' | 'attached' | 'external'>): string {
  const { state } = status;
  const hasProcess = status.pid !== undefined;
  switch (action) {
    case 'start':
      return state === 'stopped' || state === 'error' ? '' : `The gateway is ${state}.`;
    case 'stop':
      if (state === 'stopped') return 'The gateway is already stopped.';
      if (state === 'stopping') return 'The gateway is already stopping.';
      if (status.attached && status.external && 'disabled' in status.external.stop) return status.external.stop.disabled;
      if (state === 'error' && !hasProcess) return 'No gateway process is running.';
      return '';
    case 'restart':
      if (status.attached) {
        // An attached gateway restarts only through its own means (signal, its service), if any.
        const restart = status.external?.restart;
        if (!restart) return 'Pincer did not start this gateway, so it cannot restart it.';
        if ('disabled' in restart) return restart.disabled;
        return state === 'running' || state === 'reconnecting' ? '' : `The gateway is ${state}.`;
      }
      if (state === 'running' || state === 'reconnecting') return '';
      if (state === 'error' && hasProcess) return '';
      if (state === 'stopped' || state === 'error') return 'Nothing to restart: use Start.';
      return `The gateway is ${state}.`;
  }
}
