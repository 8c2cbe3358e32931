// Updates: checks the build's feed now and then (electron-updater downloads a newer version by
// itself), folds its events into an UpdateView (core/update-model.ts) for the tray and the
// dashboard, and installs on request — after a graceful gateway stop, never with the gateway
// still running. electron-updater imports electron, so it comes in behind UpdaterLike: run-app.ts
// passes its autoUpdater when the build has a feed; tests pass a real one against a loopback feed.
import { nextUpdateView, type UpdateView, type UpdaterEvent } from './core/update-model';

/** The part of electron-updater's AppUpdater used here. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  on(event: 'checking-for-update' | 'update-not-available', listener: () => void): unknown;
  on(event: 'update-available' | 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'download-progress', listener: (progress: { percent: number }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  checkForUpdates(): Promise<{ downloadPromise?: Promise<unknown> | null } | null>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

export interface UpdateServiceOptions {
  /** Undefined when the build has no feed: then nothing is ever checked. */
  updater: UpdaterLike | undefined;
  /** The "Check for updates" setting, read before every check. */
  checkEnabled: () => boolean;
  firstCheckAfterMs: number;
  intervalMs: number;
  /** The graceful, confirmed gateway stop that must finish before the installer runs. */
  stopGateway: () => Promise<void>;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface UpdateService {
  view(): UpdateView;
  onChange(listener: (view: UpdateView) => void): () => void;
  /** Checks now (when enabled); the answer arrives as view changes. */
  check(): Promise<void>;
  /** Stops the gateway, then hands over to the installer (which quits the app). */
  install(): Promise<UpdateView>;
  dispose(): void;
}

export function createUpdateService(options: UpdateServiceOptions): UpdateService {
  const { updater } = options;
  let current: UpdateView = updater ? { kind: 'idle' } : { kind: 'off', reason: 'no-feed' };
  const listeners = new Set<(view: UpdateView) => void>();
  const view = (): UpdateView =>
    current.kind !== 'off' && current.kind !== 'ready' && current.kind !== 'installing' && !options.checkEnabled()
      ? { kind: 'off', reason: 'setting' }
      : current;
  const apply = (event: UpdaterEvent) => {
    const next = nextUpdateView(current, event);
    if (next === current) return;
    current = next;
    for (const listener of listeners) listener(view());
  };

  let timer: NodeJS.Timeout | undefined;
  if (updater) {
    // Downloads start on their own once the feed offers a newer version; installing waits for the
    // user (or the next quit), since it restarts the app and the gateway with it.
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    updater.on('checking-for-update', () => apply({ type: 'checking' }));
    updater.on('update-available', (info) => apply({ type: 'available', version: info.version }));
    updater.on('update-not-available', () => apply({ type: 'not-available' }));
    updater.on('download-progress', (progress) => apply({ type: 'progress', percent: progress.percent }));
    updater.on('update-downloaded', (info) => apply({ type: 'downloaded', version: info.version }));
    updater.on('error', (error) => {
      options.log('warn', `update check failed: ${error.message}`);
      apply({ type: 'error', message: error.message.split('\n')[0]! });
    });
    const schedule = (delay: number) => {
      timer = setTimeout(() => {
        void check().finally(() => schedule(options.intervalMs));
      }, delay);
      timer.unref();
    };
    schedule(options.firstCheckAfterMs);
  }

  async function check(): Promise<void> {
    if (!updater || !options.checkEnabled() || current.kind === 'ready' || current.kind === 'installing') return;
    // Failures (of the check and of the download it starts) also arrive as 'error' events; the
    // promises' rejections add nothing, and unhandled they would reach the crash guard.
    const result = await updater.checkForUpdates().catch(() => null);
    result?.downloadPromise?.catch(() => undefined);
  }

  return {
    view,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    check,
    async install() {
      if (!updater || current.kind !== 'ready') throw new Error('no downloaded update to install');
      const { version } = current;
      apply({ type: 'installing' });
      options.log('info', `installing update ${version}: stopping the gateway first`);
      await options.stopGateway();
      // Silent on Windows (no installer wizard for an update), and Pincer starts again afterwards.
      updater.quitAndInstall(true, true);
      return view();
    },
    dispose() {
      clearTimeout(timer);
      listeners.clear();
    },
  };
}
