// The IPC contract between preload and main: the only channels that exist. Pure constants, shared
// by both sides (the preload bundle inlines them).
import type { ApiMethod, LogLine } from './core/api';

/** Renderer → main (ipcRenderer.invoke / ipcMain.handle). Each maps to one PincerApi method. */
export const INVOKE_CHANNELS = {
  getStatus: 'pincer:get-status',
  start: 'pincer:start',
  stop: 'pincer:stop',
  restart: 'pincer:restart',
  fullRestart: 'pincer:full-restart',
  openControlUi: 'pincer:open-control-ui',
  getSettings: 'pincer:get-settings',
  updateSettings: 'pincer:update-settings',
  getTimeline: 'pincer:get-timeline',
  getLogTail: 'pincer:get-log-tail',
  openLogs: 'pincer:open-logs',
  exportDiagnostics: 'pincer:export-diagnostics',
  getUpdate: 'pincer:get-update',
  installUpdate: 'pincer:install-update',
} as const satisfies Record<ApiMethod, string>;

export type InvokeMethod = keyof typeof INVOKE_CHANNELS;

/** Main → renderer (webContents.send). */
export const PUSH_CHANNELS = {
  status: 'pincer:status',
  /** A batch of log lines (see LogBatch). */
  log: 'pincer:log',
  update: 'pincer:update',
} as const;

/** Log lines travel in batches, so a flooding gateway cannot flood IPC. */
export interface LogBatch {
  lines: LogLine[];
  /** Lines dropped since the previous batch because the renderer could not keep up. */
  dropped: number;
}
