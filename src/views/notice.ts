// One dismissible line for the result of an action (where diagnostics went, a failed start, …).
import { h, replace } from './dom';
import { t } from '../i18n';

export interface Notice {
  el: HTMLElement;
  show(tone: 'info' | 'bad', text: string, path?: { value: string; testid: string }): void;
}

export function createNotice(): Notice {
  const body = h('div', { class: 'notice-body' });
  const close = h('button', { type: 'button', class: 'btn btn-quiet btn-small', 'aria-label': t('notice.dismiss'), text: '×' });
  const el = h('div', { class: 'notice', testid: 'notice', role: 'status', 'aria-live': 'polite', hidden: true }, body, close);
  close.addEventListener('click', () => {
    el.hidden = true;
  });
  return {
    el,
    show(tone, text, path) {
      el.dataset.tone = tone;
      replace(body, h('span', { text }), path && h('code', { class: 'path', testid: path.testid, text: path.value }));
      el.hidden = false;
    },
  };
}
