// The Electron preload bridge (window.pincer) seen as a DashboardApi. IPC lives and dies with
// the window, so the connection to Pincer is always up.
import type { PincerApi } from '../../electron/core/api';
import type { DashboardApi } from './types';

export function fromPreload(pincer: PincerApi): DashboardApi {
  return {
    getStatus: () => pincer.getStatus(),
    onStatus: (callback) => pincer.onStatus(callback),
    start: () => pincer.start(),
    stop: () => pincer.stop(),
    restart: () => pincer.restart(),
    fullRestart: () => pincer.fullRestart(),
    openControlUi: () => pincer.openControlUi(),
    getSettings: () => pincer.getSettings(),
    updateSettings: (patch) => pincer.updateSettings(patch),
    getTimeline: () => pincer.getTimeline(),
    getLogTail: () => pincer.getLogTail(),
    onLog: (callback) => pincer.onLog(callback),
    openLogs: () => pincer.openLogs(),
    exportDiagnostics: () => pincer.exportDiagnostics(),
    getUpdate: () => pincer.getUpdate(),
    onUpdate: (callback) => pincer.onUpdate(callback),
    installUpdate: () => pincer.installUpdate(),
    onConnection: () => () => undefined,
  };
}
