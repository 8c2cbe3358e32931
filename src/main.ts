// Entry point: pick the API (Electron preload or the headless twin) and start the dashboard.
import './styles/theme.css';
import './styles/layout.css';
import './styles/panels.css';
import type { PincerApi } from '../electron/core/api';
import { selectApi } from './api/select';
import { showAuthScreen, startDashboard } from './app';
import { setLanguage } from './i18n';

const root = document.getElementById('app');
if (!root) throw new Error('index.html is missing #app');
const api = selectApi(window as Window & { pincer?: PincerApi });
if (api) {
  // The language comes from the settings ('auto' → the browser's) before anything is rendered.
  void api
    .getSettings()
    .then(
      (settings) => settings.language,
      () => 'auto' as const,
    )
    .then((language) => {
      setLanguage(language);
      startDashboard(root, api);
    });
} else {
  setLanguage('auto');
  showAuthScreen(root);
}
