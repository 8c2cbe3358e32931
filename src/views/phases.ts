// Start-up progress: probing port → spawning → waiting for ready → connecting, with the time
// each phase took and the live time of the current one, so a slow start reads as progress.
import { START_PHASES, type GatewayStatus } from '../../electron/core/status';
import { formatElapsed } from '../logic/format';
import { phaseSteps, showPhases } from '../logic/phases';
import { PHASE_LABELS } from '../logic/state';
import { h, setText } from './dom';
import type { View } from './view';
import { t } from '../i18n';

export function createPhases(): View<{ status?: GatewayStatus; now: number }> {
  const steps = START_PHASES.map((phase, i) => {
    const marker = h('span', { class: 'phase-marker', 'aria-hidden': 'true', text: String(i + 1) });
    const time = h('span', { class: 'phase-time', testid: `phase-time-${phase}` });
    const state = h('span', { class: 'visually-hidden' });
    const item = h(
      'li',
      { class: 'phase', testid: `phase-${phase}` },
      marker,
      h('span', { class: 'phase-text' }, h('span', { class: 'phase-label', text: PHASE_LABELS[phase] }), time),
      state,
    );
    return { item, marker, time, state, index: i };
  });
  const total = h('span', { class: 'phases-total', testid: 'phases-total' });
  const el = h(
    'div',
    { class: 'phases', testid: 'phase-strip', hidden: true },
    h('div', { class: 'phases-head' }, h('h2', { id: 'phases-title', text: t('card.startProgress') }), total),
    h('ol', { class: 'phase-list', 'aria-labelledby': 'phases-title' }, ...steps.map((s) => s.item)),
  );

  return {
    el,
    update({ status, now }) {
      el.hidden = !status || !showPhases(status);
      if (!status || el.hidden) return;
      let sum = 0;
      phaseSteps(status, now).forEach((step, i) => {
        const view = steps[i]!;
        view.item.dataset.state = step.state;
        if (step.state === 'current') view.item.setAttribute('aria-current', 'step');
        else view.item.removeAttribute('aria-current');
        setText(view.marker, step.state === 'done' ? '✓' : step.state === 'skipped' ? '–' : String(view.index + 1));
        setText(view.time, step.elapsedMs === undefined ? (step.state === 'skipped' ? t('phases.skipped') : '') : formatElapsed(step.elapsedMs));
        setText(
          view.state,
          step.state === 'done'
            ? t('phases.done')
            : step.state === 'current'
              ? t('phases.current')
              : step.state === 'skipped'
                ? t('phases.skippedNote')
                : '',
        );
        sum += step.elapsedMs ?? 0;
      });
      setText(total, t('phases.soFar', { elapsed: formatElapsed(sum) }));
    },
  };
}
