// Shown instead of the dashboard when the headless API has no valid token for this tab.
import { h } from './dom';
import { t } from '../i18n';

export function createAuthScreen(): HTMLElement {
  return h(
    'main',
    { class: 'auth-screen', testid: 'auth-screen' },
    h(
      'section',
      { class: 'card auth-card', 'aria-labelledby': 'auth-title' },
      h('img', { class: 'auth-logo', src: './logo.svg', alt: '', width: 48, height: 48 }),
      h('h1', { id: 'auth-title', text: t('auth.title') }),
      h(
        'p',
        {},
        t('auth.needsLink'),
        h('code', { text: 'npm run serve' }),
        t('auth.looksLike'),
        h('code', { text: 'http://127.0.0.1:<port>/#token=…' }),
        '.',
      ),
      h('p', { class: 'muted', text: t('auth.tokenStays') }),
    ),
  );
}
