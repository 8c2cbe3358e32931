// The desktop app's wiring, in the order Electron needs it: data dir and paths first (the
// single-instance lock, the store and the logger are all scoped to them), then the lock, then —
// once ready — the core service, window, IPC, tray and auto-start. Mirrors the headless twin
// (electron/headless/cli.ts); all logic lives in the core.
import fs from 'node:fs';
import path from 'node:path';
import { app, dialog, shell, utilityProcess, type BrowserWindow } from 'electron';
import log from 'electron-log/main';
import { createChildProcessLauncher } from './core/launcher/child-process';
import { gatewayCacheDir, logsDir, resolveDataDir, type DataDir } from './core/paths';
import { PincerService } from './core/service';
import { installCrashGuard, type CrashHost, type CrashReport } from './crash-guard';
import { registerIpc } from './ipc';
import { appLayout } from './layout';
import { createChoosingLauncher } from './launchers/choose';
import { createUtilityProcessLauncher } from './launchers/utility';
import { createQuitFlow } from './quit-flow';
import { createTray, iconFile, type PincerTray } from './tray';
import { createDashboardWindow, revealWindow } from './window';
import { pathToFileURL } from 'node:url';

/** What the app needs from its process (Node's `process`; a fake in tests). */
export interface AppHost extends CrashHost {
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  on(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

export type AppRun =
  /** Another instance owns this data dir: it was asked to show itself, and this one quits. */
  | { role: 'secondary'; dataDir: DataDir }
  | { role: 'primary'; dataDir: DataDir; service: PincerService; finished: Promise<void> };

/** Generous: the core's own stop is bounded by grace (5 s) + confirm (5 s) after the tree kill. */
const QUIT_BOUND_MS = 15_000;

export async function runApp(host: AppHost): Promise<AppRun> {
  // First: where our data lives. Portable builds keep it beside the executable (USB stick).
  const dataDir = resolveDataDir({
    platform: host.platform,
    env: host.env,
    exePath: app.getPath('exe'),
    homeDir: app.getPath('home'),
    exists: fs.existsSync,
  });
  app.setPath('userData', dataDir.dir);
  app.setAppLogsPath(logsDir(dataDir.dir));
  // Only now: the lock is scoped to userData, so a portable copy does not block an installed one.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { role: 'secondary', dataDir };
  }

  let service: PincerService | undefined;
  let window: BrowserWindow | undefined;
  let tray: PincerTray | undefined;
  let disposeIpc: (() => void) | undefined;
  let errorDialogOpen = false;

  const showCrash = (crash: CrashReport) => {
    const text = service ? service.redact(`${crash.kind}: ${crash.detail}`) : `${crash.kind}: ${crash.detail}`;
    if (service) log.error(text);
    else console.error(`pincer: ${text}`);
    if (!app.isReady()) {
      dialog.showErrorBox('Pincer hit an unexpected error', text);
      return;
    }
    // One dialog at a time: a burst of errors must not bury the screen; all of them are logged.
    if (errorDialogOpen) return;
    errorDialogOpen = true;
    void dialog
      .showMessageBox({
        type: 'error',
        title: 'Pincer',
        message: `Pincer hit an unexpected error: ${service ? service.redact(crash.message) : crash.message}`,
        detail: `The gateway keeps running. Details are in the log (Open Logs Folder in the tray).\n\n${text}`,
      })
      .finally(() => (errorDialogOpen = false));
  };
  installCrashGuard(host, showCrash);

  const quitFlow = createQuitFlow({
    shutdown: async () => {
      tray?.destroy();
      disposeIpc?.();
      await service?.shutdown();
    },
    exit: (code) => app.exit(code),
    boundMs: QUIT_BOUND_MS,
    log: (level, message) => (service ? log[level](message) : console.error(`pincer: ${message}`)),
  });
  app.on('before-quit', (event) => quitFlow.onBeforeQuit(event));
  host.on('SIGTERM', () => app.quit());
  host.on('SIGINT', () => app.quit());

  const showDashboard = () => {
    if (window && !window.isDestroyed()) revealWindow(window);
  };
  app.on('second-instance', showDashboard);
  app.on('activate', showDashboard);
  // The app lives in the tray: closing (hiding) the last window is not quitting.
  app.on('window-all-closed', () => undefined);

  try {
    await app.whenReady();
    // Renderer logging stays off: window.pincer is the renderer's only bridge to main.
    log.initialize({ preload: false });
    const layout = appLayout({ appPath: app.getAppPath(), isPackaged: app.isPackaged, resourcesPath: process.resourcesPath });
    const started = new PincerService({
      dataDir: dataDir.dir,
      portable: dataDir.portable,
      launcher: createChoosingLauncher(createUtilityProcessLauncher(utilityProcess), createChildProcessLauncher()),
      locations: {
        resourcesPath: layout.resourcesPath,
        cacheDir: gatewayCacheDir(host.env, app.getPath('home')),
        referenceEntry: layout.referenceEntry,
        referenceVersion: app.getVersion(),
      },
      clientVersion: app.getVersion(),
      logger: log,
      baseEnv: host.env,
    });
    service = started;
    log.info(`Pincer ${app.getVersion()} — data dir ${dataDir.dir} (${dataDir.reason}); Electron ${process.versions.electron ?? '?'}, Node ${process.versions.node}`);
    if (started.settingsProblem) showCrash({ kind: 'uncaught exception', message: started.settingsProblem, detail: started.settingsProblem });

    const settings = started.getSettings();
    window = createDashboardWindow({
      preload: layout.preload,
      indexHtml: layout.rendererIndex,
      icon: iconFile(layout.iconsDir, 'running'),
      startHidden: settings.startMinimized,
      isQuitting: quitFlow.isQuitting,
      log: (level, message) => log[level](message),
    });
    disposeIpc = registerIpc({
      service: started,
      window: () => window,
      appPageUrl: pathToFileURL(layout.rendererIndex).href,
      logsDir: logsDir(dataDir.dir),
      log: (level, message) => log[level](message),
    });
    tray = createTray({
      iconsDir: layout.iconsDir,
      status: () => started.supervisor.status(),
      onStatus: (listener) => started.supervisor.onStatus(listener),
      actions: {
        'open-dashboard': showDashboard,
        start: () => started.supervisor.start(),
        stop: () => started.supervisor.stop(),
        // The same joined restart as the dashboard's: clicks during a restart join it.
        restart: () => started.supervisor.restart(),
        'open-logs': () => openFolder(logsDir(dataDir.dir)),
        'export-diagnostics': () => shell.showItemInFolder(started.exportDiagnostics().path),
        quit: () => app.quit(),
      },
      onActionError: (action, error) => showCrash({ kind: 'unhandled rejection', message: `${action} failed: ${(error as Error).message}`, detail: String((error as Error).stack ?? error) }),
    });
    if (settings.autoStart) void started.supervisor.start();
  } catch (error) {
    // Startup failed: say so, stop whatever was started (nothing may be orphaned), then leave.
    const text = (error as Error).stack ?? String(error);
    console.error(`pincer: startup failed: ${text}`);
    dialog.showErrorBox('Pincer could not start', service ? service.redact(text) : text);
    app.quit();
    throw error;
  }
  return { role: 'primary', dataDir, service, finished: quitFlow.finished };
}

async function openFolder(folder: string): Promise<void> {
  fs.mkdirSync(folder, { recursive: true });
  const problem = await shell.openPath(folder);
  if (problem) throw new Error(`Could not open ${folder}: ${problem}`);
}

/** For diagnostics of the layout in tests and logs. */
export const appFile = (...parts: string[]) => path.join(...parts);
