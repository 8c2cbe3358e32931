// The dashboard window's security settings as plain data (no Electron at run time), asserted by
// tests: an isolated, sandboxed renderer without Node (its CSP comes with the page: app-protocol.ts).
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

export function webPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

export function windowOptions(preload: string, icon: string): BrowserWindowConstructorOptions {
  return {
    title: 'Pincer',
    width: 1100,
    height: 760,
    minWidth: 800,
    minHeight: 600,
    // Shown on ready-to-show (no white flash), or never when starting minimized to the tray.
    show: false,
    icon,
    autoHideMenuBar: true,
    webPreferences: webPreferences(preload),
  };
}
