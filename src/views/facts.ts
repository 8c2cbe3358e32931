// Gateway facts (kind, version, pid, port, uptime, restarts, …) and the front door's numbers.
import type { GatewayStatus } from '../../electron/core/status';
import { frontDoorFacts, gatewayFacts, type Fact } from '../logic/facts';
import { h, setText } from './dom';
import type { View } from './view';
import { t } from '../i18n';

/** A definition list whose rows are created on first sight and updated in place after that. */
function factList(testid: string): { el: HTMLDListElement; show(facts: Fact[]): void } {
  const el = h('dl', { class: 'facts', testid });
  const rows = new Map<string, { value: HTMLElement; detail: HTMLElement }>();
  return {
    el,
    show(facts) {
      for (const fact of facts) {
        let row = rows.get(fact.id);
        if (!row) {
          row = {
            value: h('span', { class: 'fact-value', testid: fact.id }),
            detail: h('span', { class: 'fact-detail', testid: `${fact.id}-detail` }),
          };
          rows.set(fact.id, row);
          el.append(h('div', { class: 'fact' }, h('dt', { text: fact.label }), h('dd', { id: fact.id }, row.value, row.detail)));
        }
        setText(row.value, fact.value);
        setText(row.detail, fact.detail ?? '');
        if (fact.title) row.value.title = fact.title;
      }
    },
  };
}

export function createFacts(): View<{ status?: GatewayStatus; now: number }> {
  const list = factList('gateway-facts');
  const attached = h('p', { class: 'callout', 'data-tone': 'info', testid: 'attached-notice', hidden: true });
  const el = h(
    'section',
    { class: 'card card-facts', 'aria-labelledby': 'facts-title' },
    h('h2', { id: 'facts-title', text: t('card.gateway') }),
    attached,
    list.el,
  );
  return {
    el,
    update({ status, now }) {
      if (!status) return;
      list.show(gatewayFacts(status, now));
      attached.hidden = !status.attached;
      setText(attached, status.attached ? t('card.attached', { port: status.port }) : '');
    },
  };
}

export function createFrontDoor(): View<GatewayStatus | undefined> {
  const list = factList('front-door-facts');
  const off = h('p', { class: 'muted', text: t('card.frontDoorOff') });
  const el = h(
    'section',
    { class: 'card card-frontdoor', testid: 'front-door', 'aria-labelledby': 'frontdoor-title', hidden: true },
    h('h2', { id: 'frontdoor-title', text: t('card.frontDoor') }),
    off,
    list.el,
  );
  return {
    el,
    update(status) {
      const frontDoor = status?.frontDoor;
      el.hidden = !frontDoor;
      if (!frontDoor) return;
      off.hidden = frontDoor.enabled;
      list.el.hidden = !frontDoor.enabled;
      if (frontDoor.enabled) list.show(frontDoorFacts(frontDoor));
    },
  };
}
