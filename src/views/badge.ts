// The state badge (colour + words, announced to screen readers) and the one-line headline.
import type { GatewayStatus } from '../../electron/core/status';
import { glance } from '../logic/facts';
import { headline, PHASE_LABELS, STATE_LOOK } from '../logic/state';
import { h, replace, setText } from './dom';
import type { View } from './view';
import { t } from '../i18n';

export function createBadge(): View<{ status?: GatewayStatus; now: number }> {
  const label = h('span', { class: 'badge-label' });
  const detail = h('span', { class: 'badge-detail' });
  const badge = h(
    'div',
    { class: 'badge', id: 'state-badge', testid: 'state-badge', role: 'status', 'aria-live': 'polite', 'data-tone': 'idle' },
    h('span', { class: 'badge-dot', 'aria-hidden': 'true' }),
    label,
    detail,
  );
  const line = h('p', { class: 'headline', testid: 'headline' });
  const summary = h('p', { class: 'glance', testid: 'glance' });
  const el = h('div', { class: 'state' }, badge, line, summary);
  let shownGlance = '';
  // Items are separate spans so a narrow window wraps between them, never inside one.
  const showGlance = (items: string[]): void => {
    const key = items.join('\n');
    if (key === shownGlance) return;
    shownGlance = key;
    replace(summary, ...items.map((item) => h('span', { class: 'glance-item', text: item })));
  };

  return {
    el,
    update({ status, now }) {
      if (!status) {
        badge.dataset.tone = 'idle';
        badge.dataset.state = 'unknown';
        setText(label, t('badge.connecting'));
        setText(detail, '');
        setText(line, t('badge.waiting'));
        showGlance([]);
        return;
      }
      const look = STATE_LOOK[status.state];
      badge.dataset.tone = look.tone;
      badge.dataset.state = status.state;
      setText(label, look.label);
      setText(detail, status.phase ? PHASE_LABELS[status.phase] : '');
      setText(line, headline(status, now));
      showGlance(glance(status, now));
    },
  };
}
