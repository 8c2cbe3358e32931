// The dashboard window: loads the built dashboard from dist/renderer through the pincer://
// protocol (so its CSP header applies), hides to the tray on close, and denies everything a page
// should never do here — navigation, new windows, permissions.
import { BrowserWindow, type Session } from 'electron';
import { APP_PAGE_URL, APP_SCHEME, createAppProtocolHandler } from './app-protocol';
import { windowOptions } from './window-config';

export interface DashboardWindowOptions {
  preload: string;
  /** dist/renderer: what pincer://app/ serves. */
  rendererDir: string;
  icon: string;
  /** Start minimized to the tray: the window is created but not shown. */
  startHidden: boolean;
  /** While quitting, closing really closes. */
  isQuitting: () => boolean;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/** Applied once per session: the dashboard's protocol (every response with the CSP header), no permissions at all. */
function hardenSession(session: Session, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export function createDashboardWindow(options: DashboardWindowOptions): BrowserWindow {
  const window = new BrowserWindow(windowOptions(options.preload, options.icon));
  const { webContents } = window;
  hardenSession(webContents.session, options.rendererDir);

  webContents.on('will-navigate', (event, url) => {
    event.preventDefault();
    options.log('warn', `navigation to ${url} denied`);
  });
  webContents.setWindowOpenHandler(({ url }) => {
    options.log('warn', `new window for ${url} denied`);
    return { action: 'deny' };
  });
  webContents.on('will-attach-webview', (event) => event.preventDefault());
  webContents.on('render-process-gone', (_event, details) =>
    options.log('error', `dashboard renderer gone: ${details.reason} (exit ${details.exitCode})`),
  );

  window.on('close', (event) => {
    if (options.isQuitting()) return;
    event.preventDefault();
    window.hide();
  });
  window.once('ready-to-show', () => {
    if (!options.startHidden) window.show();
  });
  void window.loadURL(APP_PAGE_URL).catch((error: Error) => options.log('error', `dashboard failed to load: ${error.message}`));
  return window;
}

/** Brings the window to the front (from the tray, a second launch, or the dock). */
export function revealWindow(window: BrowserWindow): void {
  if (window.webContents.isCrashed()) window.webContents.reload();
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
