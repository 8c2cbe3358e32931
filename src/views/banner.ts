// "Connection to Pincer lost" — the page's own link to the supervisor, not the gateway's state.
import type { Connection } from '../api/types';
import { formatElapsed } from '../logic/format';
import { h, setText } from './dom';
import type { View } from './view';
import { t } from '../i18n';

export function createConnectionBanner(): View<Connection> {
  const text = h('span');
  const el = h(
    'div',
    { class: 'banner', role: 'alert', testid: 'connection-banner', hidden: true },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    text,
  );
  return {
    el,
    update(connection) {
      el.hidden = connection.state !== 'lost';
      if (connection.state === 'lost') {
        setText(text, t('banner.lost', { delay: formatElapsed(connection.retryInMs), attempt: connection.attempt }));
      }
    },
  };
}
