// The dashboard window's security settings as plain data (no Electron at run time), asserted by
// tests: an isolated, sandboxed renderer without Node, under a strict CSP.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { CONTENT_SECURITY_POLICY } from './core/csp';

/** The same policy as the meta tag in src/index.html, plus what only a header can say. */
export { CONTENT_SECURITY_POLICY };

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

/** Response headers with our CSP set (replacing any other spelling of the header). */
export function withCsp(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') result[name] = value;
  }
  result['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return result;
}
