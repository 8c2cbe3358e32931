// The sandboxed preload (bundled to dist/preload.cjs; requires only `electron`): exposes
// window.pincer, the dashboard's one API, over the allowlisted IPC channels. The renderer never
// sees ipcRenderer or an IPC event — only plain data and functions.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { LogLine, PincerApi } from './core/api';
import { INVOKE_CHANNELS, PUSH_CHANNELS, type LogBatch } from './ipc-channels';

/** Listens on a push channel; the returned function really removes the listener (once). */
function subscribe<T>(channel: string, deliver: (payload: T) => void): () => void {
  const listener = (_event: IpcRendererEvent, payload: T) => deliver(payload);
  ipcRenderer.on(channel, listener);
  let subscribed = true;
  return () => {
    if (!subscribed) return;
    subscribed = false;
    ipcRenderer.removeListener(channel, listener);
  };
}

function skippedLine(count: number): LogLine {
  return {
    at: Date.now(),
    source: 'pincer',
    level: 'warn',
    text: `${count} log lines skipped: the gateway wrote faster than the dashboard can show`,
  };
}

const pincer: PincerApi = {
  getStatus: () => ipcRenderer.invoke(INVOKE_CHANNELS.getStatus),
  onStatus: (callback) => subscribe(PUSH_CHANNELS.status, callback),
  start: () => ipcRenderer.invoke(INVOKE_CHANNELS.start),
  stop: () => ipcRenderer.invoke(INVOKE_CHANNELS.stop),
  restart: () => ipcRenderer.invoke(INVOKE_CHANNELS.restart),
  fullRestart: () => ipcRenderer.invoke(INVOKE_CHANNELS.fullRestart),
  openControlUi: () => ipcRenderer.invoke(INVOKE_CHANNELS.openControlUi),
  getSettings: () => ipcRenderer.invoke(INVOKE_CHANNELS.getSettings),
  updateSettings: (patch) => ipcRenderer.invoke(INVOKE_CHANNELS.updateSettings, patch),
  getTimeline: () => ipcRenderer.invoke(INVOKE_CHANNELS.getTimeline),
  getLogTail: () => ipcRenderer.invoke(INVOKE_CHANNELS.getLogTail),
  onLog: (callback) =>
    subscribe<LogBatch>(PUSH_CHANNELS.log, (batch) => {
      if (batch.dropped > 0) callback(skippedLine(batch.dropped));
      for (const line of batch.lines) callback(line);
    }),
  openLogs: () => ipcRenderer.invoke(INVOKE_CHANNELS.openLogs),
  exportDiagnostics: () => ipcRenderer.invoke(INVOKE_CHANNELS.exportDiagnostics),
  getUpdate: () => ipcRenderer.invoke(INVOKE_CHANNELS.getUpdate),
  onUpdate: (callback) => subscribe(PUSH_CHANNELS.update, callback),
  installUpdate: () => ipcRenderer.invoke(INVOKE_CHANNELS.installUpdate),
};

contextBridge.exposeInMainWorld('pincer', pincer);
