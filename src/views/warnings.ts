// Non-fatal conditions from the status (status.warnings), shown until they clear.
import { h, replace } from './dom';
import type { View } from './view';
import { t } from '../i18n';

export function createWarnings(): View<string[]> {
  const el = h('ul', { class: 'warnings', testid: 'warnings', 'aria-label': t('warnings.aria'), hidden: true });
  let lastKey = '';
  return {
    el,
    update(warnings) {
      const key = JSON.stringify(warnings);
      if (key === lastKey) return;
      lastKey = key;
      el.hidden = warnings.length === 0;
      replace(el, ...warnings.map((text) => h('li', { class: 'callout', 'data-tone': 'warn', text })));
    },
  };
}
