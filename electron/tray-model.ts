// What the tray shows for a status: icon, tooltip and the whole menu, as plain data. Pure (no
// Electron), so a table test covers it; tray.ts turns it into a Menu on every status change.
import path from 'node:path';
import { unavailableReason } from './core/controls';
import type { GatewayState, GatewayStatus } from './core/status';

export const TRAY_ICON_STATES = ['running', 'starting', 'restarting', 'stopped', 'error'] as const;
export type TrayIconState = (typeof TRAY_ICON_STATES)[number];

export type TrayAction = 'open-dashboard' | 'start' | 'stop' | 'restart' | 'open-logs' | 'export-diagnostics' | 'install-update' | 'quit';

export type TrayItem =
  | { kind: 'status'; label: string }
  | { kind: 'separator' }
  | { kind: 'action'; action: TrayAction; label: string; enabled: boolean };

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

/** "42 s", "5 min", "2 h 3 min", "3 d 4 h". */
export function formatUptime(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** One line: state, port and what matters most in that state. */
export function statusLine(status: GatewayStatus): string {
  const base = `Gateway ${status.state} · port ${status.port}`;
  if (status.state === 'error' && status.error) return `${base} · ${status.error.code}`;
  if (status.state === 'running' && status.attached) return `${base} · attached`;
  if (status.state === 'running' && status.pid !== undefined) return `${base} · pid ${status.pid}`;
  return base;
}

/** The tooltip; uptime is computed for `now`, so a periodic refresh keeps it true. */
export function trayTooltip(status: GatewayStatus, now: number): string {
  const parts = [`Pincer — ${statusLine(status)}`];
  if (status.state === 'running' && status.startedAt !== undefined) parts.push(`up ${formatUptime(now - status.startedAt)}`);
  return parts.join('\n');
}

/** `update`: the update entry (core/update-model.ts updateTrayItem), shown above Quit when there is one. */
export function trayModel(status: GatewayStatus, now: number, update?: { label: string; enabled: boolean }): TrayModel {
  const action = (name: TrayAction, label: string, enabled = true): TrayItem => ({ kind: 'action', action: name, label, enabled });
  const control = (name: 'start' | 'stop' | 'restart', label: string) => action(name, label, unavailableReason(name, status) === '');
  return {
    icon: ICON_FOR_STATE[status.state],
    tooltip: trayTooltip(status, now),
    items: [
      { kind: 'status', label: statusLine(status) },
      { kind: 'separator' },
      action('open-dashboard', 'Open Dashboard'),
      { kind: 'separator' },
      control('start', 'Start Gateway'),
      control('stop', 'Stop Gateway'),
      control('restart', 'Restart Gateway'),
      { kind: 'separator' },
      action('open-logs', 'Open Logs Folder'),
      action('export-diagnostics', 'Export Diagnostics…'),
      { kind: 'separator' },
      ...(update ? [action('install-update', update.label, update.enabled), { kind: 'separator' } as const] : []),
      action('quit', 'Quit Pincer'),
    ],
  };
}
