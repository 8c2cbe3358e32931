// TCP states on the gateway port, Pincer's side against the gateway's side, with the
// "gateway is not closing connections" warning when sockets pile up in CLOSE_WAIT.
import type { SocketReport } from '../../electron/core/status';
import { formatAgo } from '../logic/format';
import { socketRows } from '../logic/sockets';
import { h, replace, setText } from './dom';
import type { View } from './view';
import { t } from '../i18n';

export function createSockets(): View<{ report?: SocketReport; now: number }> {
  const title = h('h2', { id: 'sockets-title', text: t('card.sockets') });
  const sampled = h('span', { class: 'card-aside', testid: 'sockets-sampled' });
  const warning = h('p', { class: 'callout', 'data-tone': 'warn', role: 'alert', testid: 'socket-warning', hidden: true });
  const body = h('tbody');
  const table = h(
    'table',
    { class: 'sockets-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', text: t('sockets.state') }),
        h('th', { scope: 'col', class: 'num', text: 'Pincer' }),
        h('th', { scope: 'col', class: 'num', text: t('sockets.gateway') }),
      ),
    ),
    body,
  );
  const empty = h('p', { class: 'muted' });
  const el = h(
    'section',
    { class: 'card card-sockets', id: 'sockets', testid: 'sockets', 'aria-labelledby': 'sockets-title' },
    h('div', { class: 'card-head' }, title, sampled),
    warning,
    table,
    empty,
  );
  let lastKey = '';

  return {
    el,
    update({ report, now }) {
      setText(title, report ? t('sockets.onPort', { port: report.port }) : t('card.sockets'));
      setText(sampled, report ? t('sockets.sampled', { ago: formatAgo(report.sampledAt, now) }) : '');
      warning.hidden = !report?.warning;
      setText(warning, report?.warning ?? '');
      const rows = report ? socketRows(report) : [];
      table.hidden = rows.length === 0;
      empty.hidden = rows.length > 0;
      setText(empty, report ? t('sockets.none') : t('sockets.notSampled'));
      const key = JSON.stringify(rows);
      if (key === lastKey) return;
      lastKey = key;
      replace(
        body,
        ...rows.map((row) =>
          h(
            'tr',
            { 'data-state': row.state, 'data-concern': row.concern ? 'true' : undefined },
            h('th', { scope: 'row', text: row.state }),
            h('td', { class: 'num', testid: `sockets-ours-${row.state}`, text: String(row.ours) }),
            h('td', { class: 'num', testid: `sockets-gateway-${row.state}`, text: String(row.gateway) }),
          ),
        ),
      );
    },
  };
}
