// Shown instead of the dashboard when the headless API has no valid token for this tab.
import { h } from './dom';

export function createAuthScreen(): HTMLElement {
  return h(
    'main',
    { class: 'auth-screen', testid: 'auth-screen' },
    h(
      'section',
      { class: 'card auth-card', 'aria-labelledby': 'auth-title' },
      h('img', { class: 'auth-logo', src: './logo.svg', alt: '', width: 48, height: 48 }),
      h('h1', { id: 'auth-title', text: 'Open the link from your terminal' }),
      h(
        'p',
        {},
        'This dashboard needs the access link printed by ',
        h('code', { text: 'npm run serve' }),
        '. It looks like ',
        h('code', { text: 'http://127.0.0.1:<port>/#token=…' }),
        '.',
      ),
      h('p', { class: 'muted', text: 'The token stays in this browser tab only. If Pincer was restarted, it printed a new link: use that one.' }),
    ),
  );
}
