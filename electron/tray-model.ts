// What the tray shows for a status: icon, tooltip and the whole menu, as plain data. Pure (no
// Electron), so a table test covers it; tray.ts turns it into a Menu on every status change.
import path from 'node:path';
import { unavailableReason } from './core/controls';
import { createTranslator, type MessageKey, type Translate } from './core/i18n';
import type { Settings } from './core/settings/schema';
import type { GatewayState, GatewayStatus } from './core/status';

export const TRAY_ICON_STATES = ['running', 'starting', 'restarting', 'stopped', 'error'] as const;
export type TrayIconState = (typeof TRAY_ICON_STATES)[number];

export type TrayAction =
  'open-dashboard' | 'open-control-ui' | 'start' | 'stop' | 'restart' | 'open-logs' | 'export-diagnostics' | 'install-update' | 'quit';

/** Settings the tray shows as checkboxes and toggles. */
export const TRAY_TOGGLES = ['startAtLogin', 'autoStart', 'startMinimized', 'notifications'] as const satisfies readonly (keyof Settings)[];
export type TrayToggle = (typeof TRAY_TOGGLES)[number];

export type TrayItem =
  | { kind: 'status'; label: string }
  | { kind: 'separator' }
  | { kind: 'action'; action: TrayAction; label: string; enabled: boolean }
  | { kind: 'toggle'; setting: TrayToggle; label: string; checked: boolean };

/** What the menu says things in, and the current values of its toggles (none: no toggles shown). */
export interface TrayContext {
  t: Translate;
  toggles?: Pick<Settings, TrayToggle>;
  /** The update entry (core/update-model.ts updateTrayItem), shown above Quit when there is one. */
  update?: { label: string; enabled: boolean };
}

const ENGLISH: TrayContext = { t: createTranslator('en') };

/** Each action's menu label (the update entry's label varies with the download; this is its plain name). */
export const ACTION_LABEL = {
  'open-dashboard': 'tray.openDashboard',
  'open-control-ui': 'tray.openControlUi',
  start: 'tray.start',
  stop: 'tray.stop',
  restart: 'tray.restart',
  'open-logs': 'tray.openLogs',
  'export-diagnostics': 'tray.exportDiagnostics',
  'install-update': 'update.install',
  quit: 'tray.quit',
} as const satisfies Record<TrayAction, MessageKey>;

/** The notification title when a menu action fails, e.g. "Open Control UI failed". */
export function actionFailedTitle(action: TrayAction, t: Translate = ENGLISH.t): string {
  return t('tray.actionFailed', { action: t(ACTION_LABEL[action]).replace(/…$/, '') });
}

const TOGGLE_LABEL = {
  startAtLogin: 'tray.startAtLogin',
  autoStart: 'tray.autoStart',
  startMinimized: 'tray.startMinimized',
  notifications: 'tray.notifications',
} as const satisfies Record<TrayToggle, string>;

export interface TrayModel {
  icon: TrayIconState;
  tooltip: string;
  items: TrayItem[];
}

/**
 * The tray icon for a state on this platform (scripts/make-tray-icons.mjs): macOS a monochrome
 * "Template" image it tints for the menu bar, Windows an .ico with every scaling's size, Linux a
 * PNG. For PNGs Electron picks the @2x file beside it on high-density screens.
 */
export function iconFile(iconsDir: string, state: TrayIconState, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return path.join(iconsDir, 'tray', 'mac', `tray-${state}Template.png`);
  if (platform === 'win32') return path.join(iconsDir, 'tray', 'win', `tray-${state}.ico`);
  return path.join(iconsDir, 'tray', 'linux', `tray-${state}.png`);
}

/** The window's icon (Windows and Linux; macOS takes the app bundle's). */
export function windowIconFile(iconsDir: string): string {
  return path.join(iconsDir, 'app', '256x256.png');
}

const ICON_FOR_STATE: Record<GatewayState, TrayIconState> = {
  running: 'running',
  starting: 'starting',
  restarting: 'restarting',
  // The process still runs; only the control connection is being re-established.
  reconnecting: 'restarting',
  stopping: 'stopped',
  stopped: 'stopped',
  error: 'error',
};

/** "42 s", "5 min", "2 h 3 min", "3 d 4 h" (in the menu's language). */
export function formatUptime(ms: number, t: Translate = ENGLISH.t): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return t('uptime.seconds', { s: seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t('uptime.minutes', { m: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t('uptime.hours', { h: hours, m: minutes % 60 });
  return t('uptime.days', { d: Math.floor(hours / 24), h: hours % 24 });
}

/** One line: state, port and what matters most in that state. */
export function statusLine(status: GatewayStatus, { t } = ENGLISH): string {
  const base = t('tray.statusLine', { state: t(`state.${status.state}`), port: status.port });
  if (status.state === 'error' && status.error) return `${base} · ${status.error.code}`;
  if (status.state === 'running' && status.attached) return `${base} · ${t('tray.attached')}`;
  if (status.state === 'running' && status.pid !== undefined) return `${base} · ${t('tray.pid', { pid: status.pid })}`;
  return base;
}

/** The tooltip; uptime is computed for `now`, so a periodic refresh keeps it true. */
export function trayTooltip(status: GatewayStatus, now: number, context = ENGLISH): string {
  const parts = [`Pincer — ${statusLine(status, context)}`];
  if (status.state === 'running' && status.startedAt !== undefined)
    parts.push(context.t('tray.uptime', { uptime: formatUptime(now - status.startedAt, context.t) }));
  return parts.join('\n');
}

export function trayModel(status: GatewayStatus, now: number, context = ENGLISH): TrayModel {
  const { t, toggles, update } = context;
  const action = (name: TrayAction, label: string, enabled = true): TrayItem => ({ kind: 'action', action: name, label, enabled });
  const control = (name: 'start' | 'stop' | 'restart', label: string) => action(name, label, unavailableReason(name, status) === '');
  const toggleItems: TrayItem[] = toggles
    ? [
        ...TRAY_TOGGLES.map((setting): TrayItem => ({ kind: 'toggle', setting, label: t(TOGGLE_LABEL[setting]), checked: toggles[setting] })),
        { kind: 'separator' },
      ]
    : [];
  return {
    icon: ICON_FOR_STATE[status.state],
    tooltip: trayTooltip(status, now, context),
    items: [
      { kind: 'status', label: statusLine(status, context) },
      { kind: 'separator' },
      action('open-dashboard', t(ACTION_LABEL['open-dashboard'])),
      // OpenClaw's own web UI, signed in; the reference gateway has none.
      action('open-control-ui', t(ACTION_LABEL['open-control-ui']), status.gateway.kind === 'openclaw' && status.state === 'running'),
      { kind: 'separator' },
      control('start', t(ACTION_LABEL.start)),
      control('stop', t(ACTION_LABEL.stop)),
      control('restart', t(ACTION_LABEL.restart)),
      { kind: 'separator' },
      action('open-logs', t(ACTION_LABEL['open-logs'])),
      action('export-diagnostics', t(ACTION_LABEL['export-diagnostics'])),
      { kind: 'separator' },
      ...toggleItems,
      ...(update ? [action('install-update', update.label, update.enabled), { kind: 'separator' } as const] : []),
      action('quit', t(ACTION_LABEL.quit)),
    ],
  };
}
