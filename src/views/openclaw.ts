// "Your OpenClaw": where the gateway came from (the resolution order), its config and sign-in,
// who runs an attached gateway, installed services, the last restart's kind, and the Control UI
// and Full restart buttons. Text comes from logic/openclaw (table-tested).
import type { GatewayStatus } from '../../electron/core/status';
import { t } from '../i18n';
import { openclawModel } from '../logic/openclaw';
import { h, replace } from './dom';
import type { View } from './view';

export interface OpenClawActions {
  openControlUi(): void;
  fullRestart(): void;
}

export function createOpenClaw(actions: OpenClawActions): View<GatewayStatus | undefined> {
  const controlUi = h('button', { type: 'button', class: 'btn', testid: 'btn-control-ui', text: t('openclaw.openControlUi') });
  const fullRestart = h('button', { type: 'button', class: 'btn btn-quiet', testid: 'btn-full-restart', text: t('openclaw.fullRestart') });
  controlUi.addEventListener('click', () => actions.openControlUi());
  fullRestart.addEventListener('click', () => actions.fullRestart());
  const order = h('ol', { class: 'resolution', testid: 'gateway-resolution' });
  const lines = h('div', { class: 'openclaw-lines', testid: 'openclaw-lines' });
  const el = h(
    'section',
    { class: 'card card-openclaw', testid: 'openclaw-card', 'aria-labelledby': 'openclaw-title', hidden: true },
    h('h2', { id: 'openclaw-title', text: t('openclaw.title') }),
    order,
    lines,
    h('div', { class: 'controls' }, controlUi, fullRestart),
  );
  return {
    el,
    update(status) {
      el.hidden = !status;
      if (!status) return;
      const model = openclawModel(status);
      replace(
        order,
        ...model.candidates.map((row) =>
          h(
            'li',
            { 'data-chosen': String(row.chosen) },
            h('strong', { text: row.chosen ? t('openclaw.runs', { label: row.label }) : row.label }),
            h('span', { class: 'fact-detail', text: ` ${row.detail}` }),
          ),
        ),
      );
      replace(
        lines,
        ...model.lines.map((line) =>
          h(
            'p',
            { class: 'callout', 'data-tone': line.tone === 'warn' ? 'bad' : 'info', testid: `openclaw-${line.id}` },
            h('span', { text: line.text }),
            line.code ? h('code', { class: 'path', text: ` ${line.code}` }) : undefined,
          ),
        ),
      );
      controlUi.disabled = model.controlUiUnavailable !== '';
      controlUi.title = model.controlUiUnavailable;
      fullRestart.disabled = model.fullRestartUnavailable !== '';
      fullRestart.title = model.fullRestartUnavailable || t('openclaw.fullRestartTitle');
    },
  };
}
