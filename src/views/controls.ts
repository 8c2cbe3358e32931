// Start / Stop / Restart. Enablement and labels come from logic/controls (table-tested).
import { controlStates, type ControlAction } from '../logic/controls';
import type { GatewayStatus } from '../../electron/core/status';
import { h, setText } from './dom';
import type { View } from './view';
import { t } from '../i18n';

export function createControls(run: (action: ControlAction) => void): View<{ status?: GatewayStatus; pending: ControlAction | null }> {
  const buttons = {
    start: h('button', { type: 'button', class: 'btn btn-primary', id: 'btn-start', testid: 'btn-start' }),
    stop: h('button', { type: 'button', class: 'btn', id: 'btn-stop', testid: 'btn-stop' }),
    restart: h('button', { type: 'button', class: 'btn', id: 'btn-restart', testid: 'btn-restart' }),
  };
  for (const action of ['start', 'stop', 'restart'] as const) buttons[action].addEventListener('click', () => run(action));
  const el = h('div', { class: 'controls', role: 'group', 'aria-label': t('controls.group') }, buttons.start, buttons.stop, buttons.restart);

  return {
    el,
    update({ status, pending }) {
      const states = controlStates(status, pending);
      for (const action of ['start', 'stop', 'restart'] as const) {
        const button = buttons[action];
        const state = states[action];
        setText(button, state.label);
        button.disabled = !state.enabled;
        button.title = state.reason;
        button.toggleAttribute('data-pending', pending === action);
        button.setAttribute('aria-busy', String(pending === action));
      }
    },
  };
}
