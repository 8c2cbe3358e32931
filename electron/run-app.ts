// The desktop app's wiring, in the order Electron needs it: data dir and paths first (the
// single-instance lock, the store and the logger are all scoped to them), then the lock, then —
// once ready — the core service, window, IPC, tray and auto-start. Mirrors the headless twin
// (electron/headless/cli.ts); all logic lives in the core.
import fs from 'node:fs';
import { app, dialog, powerMonitor, protocol, shell, utilityProcess, type BrowserWindow } from 'electron';
import log from 'electron-log/main';
import { APP_ID } from './app-id';
import { APP_PAGE_URL, APP_SCHEME_PRIVILEGES } from './app-protocol';
import { createChildProcessLauncher } from './core/launcher/child-process';
import { gatewayCacheDir, logsDir, resolveDataDir, type DataDir } from './core/paths';
import { PincerService } from './core/service';
import { updateTrayItem } from './core/update-model';
import { installCrashGuard, type CrashHost, type CrashReport } from './core/crash-guard';
import { createTranslator, resolveLanguage } from './core/i18n';
import { createApiTable } from './core/api-table';
import { EXIT, launchCommand } from './core/instance-commands';
import { acquireInstanceLock, InstanceLockedError, type InstanceLock } from './core/instance-lock';
import { serveInstanceApi, type InstanceApi } from './headless/instance-api';
import { registerIpc } from './ipc';
import { appLayout } from './layout';
import { createChoosingLauncher } from './launchers/choose';
import { createUtilityProcessLauncher } from './launchers/utility';
import { openFolder } from './open-folder';
import { applyStartAtLogin, launchedAtLogin } from './login-item';
import { createNotifier } from './notifications/notifier';
import { createQuitFlow } from './quit-flow';
import { openElectronStore } from './settings-store';
import { createTray, type PincerTray } from './tray';
import { actionFailedTitle, windowIconFile } from './tray-model';
import { createUpdateService, type UpdateService } from './updater';
import { createDashboardWindow, revealWindow } from './window';

/** What the app needs from its process (Node's `process`; a fake in tests). */
export interface AppHost extends CrashHost {
  readonly env: NodeJS.ProcessEnv;
  /** The launch arguments: a command for the running instance (--quit …), or --hidden (started at login). */
  readonly argv: readonly string[];
  readonly platform: NodeJS.Platform;
  on(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

export type AppRun =
  /** Another instance owns this data dir: it was asked to show itself, and this one quits. */
  | { role: 'secondary'; dataDir: DataDir }
  /** Nothing to do here: the data dir is held by another Pincer (the headless twin), or `--quit` with none running. */
  | { role: 'declined'; dataDir: DataDir; reason: string }
  | { role: 'primary'; dataDir: DataDir; service: PincerService; finished: Promise<void> }
  /** Startup failed after the lock: the error was shown, and the app is quitting. */
  | { role: 'failed'; dataDir: DataDir; error: unknown; finished: Promise<void> };

/** Generous: the core's own stop is bounded by grace (5 s) + confirm (5 s) after the tree kill. */
const QUIT_BOUND_MS = 15_000;
/** When the OS ends the session it waits about 5 s (Windows, systemd's InhibitDelayMaxSec). */
const SYSTEM_QUIT_BOUND_MS = 4_500;
/** Update checks: soon after start (not during it), then every few hours. */
const UPDATE_FIRST_CHECK_MS = 60_000;
const UPDATE_INTERVAL_MS = 4 * 3_600_000;

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
  // Windows groups the taskbar and attributes notifications by this id: the installer's shortcut
  // carries the same one (electron-builder's appId).
  if (host.platform === 'win32') app.setAppUserModelId(APP_ID);
  // Before 'ready', or Electron refuses: the dashboard's own origin (window.ts serves it).
  protocol.registerSchemesAsPrivileged(APP_SCHEME_PRIVILEGES);
  if (launchCommand(host.argv) === 'quit') {
    // `Pincer --quit` (the uninstaller) with no Pincer running: start nothing.
    app.exit(EXIT.noInstance);
    return { role: 'declined', dataDir, reason: 'no Pincer is running' };
  }
  // One supervisor per data dir, whichever front end: the headless twin may hold it.
  let lock: InstanceLock;
  try {
    lock = await acquireInstanceLock(dataDir.dir, { kind: 'desktop', version: app.getVersion() });
  } catch (error) {
    if (error instanceof InstanceLockedError) {
      dialog.showErrorBox('Pincer is already running', `${error.message}. Stop it first, or give this one another data dir.`);
      app.exit(EXIT.dataDirInUse);
      return { role: 'declined', dataDir, reason: error.message };
    }
    // The data dir itself is unusable (not a directory, no permission): nothing was started.
    dialog.showErrorBox('Pincer could not start', error instanceof Error ? error.message : String(error));
    app.exit(EXIT.failed);
    return { role: 'failed', dataDir, error, finished: Promise.resolve() };
  }

  let service: PincerService | undefined;
  let window: BrowserWindow | undefined;
  let tray: PincerTray | undefined;
  let disposeIpc: (() => void) | undefined;
  let disposeNotifier: (() => void) | undefined;
  let disposeSettingsListener: (() => void) | undefined;
  let instanceApi: InstanceApi | undefined;
  let updates: UpdateService | undefined;
  let dialogOpen = false;
  let startupFailed = false;

  const redact = (text: string) => (service ? service.redact(text) : text);
  const logLine = (level: 'info' | 'warn' | 'error', message: string) => {
    // Before the service exists the file logger (and its redaction) is not set up: stderr only.
    if (service) log[level](message);
    else console.error(`pincer: ${message}`);
  };
  /** Shows a problem without blocking the main process; one dialog at a time, all of them logged. */
  const notify = (type: 'error' | 'warning', message: string, detail: string) => {
    logLine(type === 'error' ? 'error' : 'warn', `${message}\n${detail}`);
    if (!app.isReady()) {
      dialog.showErrorBox(message, detail);
      return;
    }
    if (dialogOpen) return;
    dialogOpen = true;
    void dialog
      .showMessageBox({ type, title: 'Pincer', message, detail })
      .catch(() => undefined)
      .finally(() => (dialogOpen = false));
  };
  const showCrash = (crash: CrashReport) =>
    notify(
      'error',
      redact(`Pincer hit an unexpected error (${crash.kind}): ${crash.message}`),
      redact(`The gateway keeps running. Details are in the log (Open Logs Folder in the tray).\n\n${crash.detail}`),
    );
  installCrashGuard(host, showCrash);

  const quitFlow = createQuitFlow({
    shutdown: async () => {
      disposeSettingsListener?.();
      tray?.destroy();
      disposeNotifier?.();
      updates?.dispose();
      disposeIpc?.();
      instanceApi?.stopListening();
      await service?.shutdown();
      instanceApi?.closeAll();
      lock.release();
    },
    exit: (code) => app.exit(startupFailed ? 1 : code),
    boundMs: QUIT_BOUND_MS,
    systemBoundMs: SYSTEM_QUIT_BOUND_MS,
    log: logLine,
  });
  app.on('before-quit', (event) => quitFlow.onBeforeQuit(event));
  host.on('SIGTERM', () => app.quit());
  host.on('SIGINT', () => app.quit());

  const showDashboard = () => {
    if (window && !window.isDestroyed()) revealWindow(window);
  };
  // A second launch: its argv may carry a command (`Pincer --quit`); otherwise it wants the window.
  app.on('second-instance', (_event, argv: string[]) => {
    const command = launchCommand(argv);
    if (command === 'quit') app.quit();
    else if (command === 'open' || command === undefined || !service) showDashboard();
    else service.supervisor[command]().catch((error: Error) => logLine('error', `${command} (second launch) failed: ${error.message}`));
  });
  app.on('activate', showDashboard);
  // The app lives in the tray: the last window going away is not quitting.
  app.on('window-all-closed', () => undefined);

  try {
    await app.whenReady();
    // Electron skips before-quit when the OS ends the session: stop the gateway cleanly anyway.
    powerMonitor.on('shutdown', (event?: { preventDefault(): void }) => quitFlow.onSystemShutdown('system shutdown', event));
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
      openSettingsStore: openElectronStore,
    });
    service = started;
    log.info(
      `Pincer ${app.getVersion()}: data dir ${dataDir.dir} (${dataDir.reason}); Electron ${process.versions.electron ?? '-'}, Node ${process.versions.node}`,
    );
    if (started.settingsProblem) notify('warning', 'Pincer could not read its settings', started.settingsProblem);

    // electron-builder writes app-update.yml only when the build has a feed: no file, no checks.
    const hasFeed = layout.updateConfig !== undefined && fs.existsSync(layout.updateConfig);
    const updateService = createUpdateService({
      updater: hasFeed ? (await import('electron-updater')).autoUpdater : undefined,
      checkEnabled: () => started.getSettings().checkForUpdates,
      firstCheckAfterMs: UPDATE_FIRST_CHECK_MS,
      intervalMs: UPDATE_INTERVAL_MS,
      stopGateway: async () => {
        await started.supervisor.stop();
      },
      log: logLine,
    });
    updates = updateService;
    const settings = started.getSettings();
    const t = () => createTranslator(resolveLanguage(started.getSettings().language, app.getLocale()));
    const loginHost = { platform: host.platform, env: host.env, app };
    const syncLoginItem = (enabled: boolean) => {
      try {
        applyStartAtLogin(enabled, loginHost);
      } catch (error) {
        logLine('warn', `start at login could not be ${enabled ? 'set up' : 'removed'}: ${(error as Error).message}`);
      }
    };
    // Also at every start: the setting may have changed in the headless twin, or the AppImage moved.
    syncLoginItem(settings.startAtLogin);
    const atLogin = launchedAtLogin(host.argv, host.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin);
    window = createDashboardWindow({
      preload: layout.preload,
      rendererDir: layout.rendererDir,
      icon: windowIconFile(layout.iconsDir),
      startHidden: settings.startMinimized || atLogin,
      isQuitting: quitFlow.isQuitting,
      log: logLine,
    });
    // Windows log-off or shutdown; the OS will not wait for anything, so start stopping now.
    window.on('session-end', () => quitFlow.onSystemShutdown('session end'));
    const api = createApiTable({
      service: started,
      updates: updateService,
      openLogs: async () => {
        await openFolder(logsDir(dataDir.dir));
        return { path: logsDir(dataDir.dir) };
      },
      // The link carries a one-time sign-in: it goes to the browser, not to the renderer or the CLI.
      openControlUi: async (url) => {
        await shell.openExternal(url);
        return {};
      },
      log: logLine,
    });
    disposeIpc = registerIpc({ service: started, api, updates: updateService, window: () => window, appPageUrl: APP_PAGE_URL, log: logLine });
    // The same API on loopback, for the pincer CLI (address and token in the data dir lock).
    instanceApi = await serveInstanceApi({
      lock,
      port: 0,
      service: started,
      api,
      controls: {
        open: () => {
          showDashboard();
          return { shown: true };
        },
        quit: () => app.quit(),
      },
      logError: (message) => logLine('error', message),
    });
    tray = createTray({
      iconsDir: layout.iconsDir,
      platform: host.platform,
      status: () => started.supervisor.status(),
      onStatus: (listener) => started.supervisor.onStatus(listener),
      updateItem: () => updateTrayItem(updateService.view(), t()),
      onUpdate: (listener) => updateService.onChange(listener),
      actions: {
        'open-dashboard': showDashboard,
        start: () => started.supervisor.start(),
        stop: () => started.stopGateway(),
        // The same joined restart as the dashboard's: clicks during a restart join it.
        restart: () => started.restartGateway('auto'),
        'open-control-ui': async () => shell.openExternal(await started.controlUiUrl()),
        'open-logs': () => openFolder(logsDir(dataDir.dir)),
        'export-diagnostics': async () => shell.showItemInFolder((await started.exportDiagnostics()).path),
        'install-update': () => updateService.install(),
        quit: () => app.quit(),
      },
      onActionError: (action, error) =>
        notify('error', actionFailedTitle(action, t()), redact(error instanceof Error ? error.message : String(error))),
      context: () => ({ t: t(), toggles: started.getSettings() }),
      onToggle: (setting, checked) => {
        const result = started.updateSettings({ [setting]: checked });
        if (!result.ok) notify('error', `${setting} could not be saved`, result.errors.map((e) => `${e.field} ${e.message}`).join('\n'));
      },
    });
    disposeSettingsListener = started.onSettings((next, before) => {
      if (next.startAtLogin !== before.startAtLogin) syncLoginItem(next.startAtLogin);
      tray?.refresh();
    });
    disposeNotifier = createNotifier({
      status: () => started.supervisor.status(),
      onStatus: (listener) => started.supervisor.onStatus(listener),
      enabled: () => started.getSettings().notifications,
      t,
      onClick: showDashboard,
    });
    if (settings.autoStart) void started.supervisor.start();
    return { role: 'primary', dataDir, service: started, finished: quitFlow.finished };
  } catch (error) {
    // Say so (a blocking box: the app is about to go), then quit through the quit flow, which
    // stops whatever was started — nothing is orphaned.
    const detail = redact(error instanceof Error ? (error.stack ?? error.message) : String(error));
    logLine('error', `startup failed: ${detail}`);
    dialog.showErrorBox('Pincer could not start', detail);
    startupFailed = true;
    app.quit();
    return { role: 'failed', dataDir, error, finished: quitFlow.finished };
  }
}
