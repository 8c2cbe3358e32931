// Runs the real desktop app wiring (runApp) against the fake Electron boundary: a temp data dir,
// a free gateway port, the real reference gateway through the utilityProcess launcher.
// Import it after `vi.mock('electron', …)` in the test file.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import log from 'electron-log/main';
import { afterEach, beforeAll, expect } from 'vitest';
import { listPids, readProcStat } from '../../electron/core/process/procfs';
import { descendantsIn } from '../../electron/core/process/tree';
import type { GatewayStatus } from '../../electron/core/status';
import type { Settings } from '../../electron/core/settings/schema';
import { runApp, type AppHost, type AppRun } from '../../electron/run-app';
import { buildAll } from '../helpers/build';
import { freePort } from '../helpers/ports';
import { waitFor } from '../helpers/wait';
import { FakeBrowserWindow, FakeTray, killStrayChildren, resetElectron, world, type FakeApp, type FakeAppOptions } from './fake-electron';

export type FakeHost = AppHost & EventEmitter & { env: NodeJS.ProcessEnv };

export function fakeHost(env: NodeJS.ProcessEnv, argv: readonly string[] = ['pincer'], platform: NodeJS.Platform = 'linux'): FakeHost {
  return Object.assign(new EventEmitter(), { env, argv, platform }) as FakeHost;
}

export interface RunningApp {
  run: Extract<AppRun, { role: 'primary' }>;
  app: FakeApp;
  host: FakeHost;
  dataDir: string;
  port: number;
  window: FakeBrowserWindow;
  tray: FakeTray;
  status(): GatewayStatus;
  waitForState(state: GatewayStatus['state'], what?: string): Promise<GatewayStatus>;
  /** Quits through Electron's quit path and waits for the confirmed shutdown. */
  quit(): Promise<void>;
}

const started: RunningApp[] = [];
const tempDirs: string[] = [];

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function writeSettings(dataDir: string, settings: Partial<Settings>): void {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify(settings));
}

export async function startApp(
  options: { settings?: Partial<Settings>; app?: FakeAppOptions; env?: NodeJS.ProcessEnv; argv?: string[]; platform?: NodeJS.Platform } = {},
): Promise<RunningApp> {
  const port = await freePort();
  const dataDir = tempDir('pincer-app-');
  writeSettings(dataDir, { gatewayPort: port, gatewayKind: 'reference', heartbeatMs: 1_000, ...options.settings });
  const app = resetElectron({ homePath: tempDir('pincer-home-'), ...options.app });
  // XDG_CONFIG_HOME in a temp dir: the app writes its autostart entry there, never in the real home.
  const host = fakeHost(
    {
      ...process.env,
      PINCER_DATA_DIR: dataDir,
      XDG_CACHE_HOME: tempDir('pincer-cache-'),
      XDG_CONFIG_HOME: tempDir('pincer-config-'),
      ...options.env,
    },
    options.argv,
    options.platform,
  );
  const run = await runApp(host);
  if (run.role !== 'primary') throw new Error(`expected the primary instance, got ${run.role}: ${String((run as { error?: unknown }).error)}`);
  const window = FakeBrowserWindow.instances[0]!;
  // The page loads asynchronously (through the pincer:// handler); a page calls IPC only once loaded.
  await waitFor(() => window.loadedResponse, { what: 'the dashboard page to load' });
  const tray = FakeTray.instances[0]!;
  const status = () => run.service.supervisor.status();
  const running: RunningApp = {
    run,
    app,
    host,
    dataDir,
    port,
    window,
    tray,
    status,
    waitForState: (state, what = `state ${state}`) => waitFor(() => (status().state === state ? status() : undefined), { what, timeoutMs: 30_000 }),
    async quit() {
      if (app.exitCode !== undefined) return;
      const previous = world.app;
      world.app = app;
      app.quit();
      world.app = previous;
      await run.finished;
    },
  };
  started.push(running);
  return running;
}

/** For afterEach: quits every app a test started and removes the temp dirs. */
export async function stopAllApps(): Promise<void> {
  for (const running of started.splice(0)) await running.quit();
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** The running (not zombie) descendants of a process, through the core's /proc reader (Linux). */
export async function procTree(root: number): Promise<number[]> {
  const stats = await Promise.all((await listPids()).map(readProcStat));
  return descendantsIn(new Map(stats.flatMap((stat) => (stat && stat.state !== 'Z' ? [[stat.pid, stat.ppid] as [number, number]] : []))), root);
}

/** The hooks of a file of desktop-app tests: build once, no console logging; after each test quit every app and leave no child. */
export function desktopAppHooks(): void {
  beforeAll(async () => {
    await buildAll();
    log.transports.console.level = false;
  });
  afterEach(async () => {
    await stopAllApps();
    expect(killStrayChildren()).toBe(0);
  });
}
