// The main side of the IPC bridge: the API table (core/api-table.ts) served over ipcMain.handle,
// every channel behind one wrapper that refuses any sender but the dashboard page in our window.
// No generic passthrough: there is no channel that reaches the gateway directly.
// Status changes and log lines are pushed with webContents.send.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { LogLine } from './core/api';
import type { ApiTable } from './core/api-table';
import type { PincerService } from './core/service';
import { IpcRefusedError, senderProblem, type SenderFacts } from './ipc-guard';
import { INVOKE_CHANNELS, PUSH_CHANNELS, type InvokeMethod } from './ipc-channels';
import { createLogBatcher } from './log-batcher';
import type { UpdateService } from './updater';

export interface IpcOptions {
  service: PincerService;
  api: ApiTable;
  /** The dashboard window, if it exists. */
  window: () => BrowserWindow | undefined;
  /** The dashboard page's URL (pincer://app/index.html): the only page allowed to call. */
  appPageUrl: string;
  updates: UpdateService;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/** Registers the handlers and the pushes; returns a function that removes them all. */
export function registerIpc(options: IpcOptions): () => void {
  const { supervisor } = options.service;

  const senderFacts = (event: IpcMainInvokeEvent): SenderFacts => {
    const window = options.window();
    let frame: IpcMainInvokeEvent['senderFrame'] = null;
    try {
      frame = event.senderFrame;
    } catch {
      // a frame that navigated away or was destroyed
    }
    return {
      isOurWebContents: window !== undefined && !window.isDestroyed() && event.sender === window.webContents,
      frameUrl: frame?.url,
      isMainFrame: frame !== null && frame.parent === null,
    };
  };

  const methods = Object.keys(INVOKE_CHANNELS) as InvokeMethod[];
  for (const method of methods) {
    const channel = INVOKE_CHANNELS[method];
    ipcMain.handle(channel, async (event, ...args: unknown[]) => {
      const refused = senderProblem(senderFacts(event), options.appPageUrl);
      if (refused) {
        options.log('warn', `IPC ${channel} refused: ${refused}`);
        throw new IpcRefusedError(`${channel} refused: ${refused}`);
      }
      return options.api[method](args);
    });
  }

  const send = (channel: string, payload: unknown) => {
    const window = options.window();
    if (!window || window.isDestroyed() || window.webContents.isDestroyed()) return;
    window.webContents.send(channel, payload);
  };
  const batcher = createLogBatcher((batch) => send(PUSH_CHANNELS.log, batch));
  const offStatus = supervisor.onStatus((status) => send(PUSH_CHANNELS.status, status));
  const offLog = supervisor.onLog((line: LogLine) => batcher.push(line));
  const offUpdate = options.updates.onChange((view) => send(PUSH_CHANNELS.update, view));

  return () => {
    offStatus();
    offUpdate();
    offLog();
    batcher.close();
    for (const method of methods) ipcMain.removeHandler(INVOKE_CHANNELS[method]);
  };
}
