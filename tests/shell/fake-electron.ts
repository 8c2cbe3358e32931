// A fake `electron` module for shell tests — the Electron boundary and nothing else. Everything
// behind it is real: utilityProcess.fork runs a real child process (with utilityProcess's
// semantics: pid undefined until 'spawn' and after 'exit', exit(code) without a signal, kill() =
// SIGTERM only, stdout/stderr piped, no process group of its own), the real core and gateway run
// behind the IPC handlers. The fake records what the shell did (paths, lock, windows, tray menus,
// IPC handlers, sends, dialogs) so tests can assert on it and click/invoke through it.
//
// It is installed twice: as `vi.mock('electron')` for our modules, and in Node's require cache for
// CommonJS dependencies that require('electron') themselves (electron-log/main).
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');

/** Every call the shell made to the fake, in order (for ordering assertions). */
export type CallRecord = { api: string; args: unknown[] };

// ── app ──────────────────────────────────────────────────────────────────────

/** Single-instance locks across fake app instances, keyed by the userData path at lock time. */
const locks = new Map<string, FakeApp>();

export interface FakeAppOptions {
  exePath?: string;
  homePath?: string;
  /** Hold 'ready' until the test calls makeReady(). */
  deferReady?: boolean;
  /** What app.getLocale() answers (the OS locale); default en-US. */
  locale?: string;
  /** macOS: the app was opened by its login item. */
  wasOpenedAtLogin?: boolean;
  /** This launch's argv, which a lock holder hears in 'second-instance'. */
  argv?: string[];
}

export class FakeApp extends EventEmitter {
  readonly name = 'Pincer';
  readonly isPackaged = false;
  readonly calls: CallRecord[] = [];
  exitCode: number | undefined;
  quitRequested = 0;
  /** The last app.setLoginItemSettings (every call is also in `calls`). */
  loginItem: { openAtLogin: boolean; path?: string; args?: string[] } = { openAtLogin: false };
  private readonly locale: string;
  private readonly wasOpenedAtLogin: boolean;
  private readonly paths = new Map<string, string>();
  private ready = false;
  private readonly readyPromise: Promise<void>;
  private markReady!: () => void;
  private readonly argv: string[];

  constructor(options: FakeAppOptions = {}) {
    super();
    this.argv = options.argv ?? ['pincer'];
    this.paths.set('exe', options.exePath ?? path.join(REPO_ROOT, 'node_modules', 'electron', 'dist', 'electron'));
    this.paths.set('home', options.homePath ?? os.homedir());
    this.paths.set('appData', path.join(this.paths.get('home')!, '.config'));
    this.paths.set('userData', path.join(this.paths.get('appData')!, 'Pincer'));
    this.locale = options.locale ?? 'en-US';
    this.wasOpenedAtLogin = options.wasOpenedAtLogin ?? false;
    this.readyPromise = new Promise((resolve) => (this.markReady = resolve));
    if (!options.deferReady) setImmediate(() => this.makeReady());
  }

  private record(api: string, ...args: unknown[]): void {
    this.calls.push({ api, args });
  }

  makeReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.markReady();
    this.emit('ready');
  }

  isReady(): boolean {
    return this.ready;
  }

  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  getPath(name: string): string {
    const value = this.paths.get(name);
    if (value === undefined) throw new Error(`Failed to get '${name}' path`);
    return value;
  }

  setPath(name: string, value: string): void {
    this.record('setPath', name, value);
    this.paths.set(name, value);
  }

  setAppLogsPath(value: string): void {
    this.record('setAppLogsPath', value);
    this.paths.set('logs', value);
  }

  getAppPath(): string {
    return REPO_ROOT;
  }

  setAppUserModelId(id: string): void {
    // Recorded with the moment: it must come before windows and notifications exist.
    this.record('setAppUserModelId', id, this.ready ? 'after ready' : 'before ready');
  }

  getVersion(): string {
    return '0.1.0';
  }

  getName(): string {
    return this.name;
  }

  getLocale(): string {
    return this.locale;
  }

  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void {
    this.record('setLoginItemSettings', structuredClone(settings));
    this.loginItem = structuredClone(settings);
  }

  getLoginItemSettings(): { openAtLogin: boolean; wasOpenedAtLogin: boolean } {
    return { openAtLogin: this.loginItem.openAtLogin, wasOpenedAtLogin: this.wasOpenedAtLogin };
  }

  requestSingleInstanceLock(): boolean {
    const key = this.getPath('userData');
    this.record('requestSingleInstanceLock', key);
    const holder = locks.get(key);
    if (holder && holder !== this) {
      // As Electron does: the holder hears about the second launch.
      setImmediate(() => holder.emit('second-instance', { preventDefault() {} }, this.argv, process.cwd()));
      return false;
    }
    locks.set(key, this);
    return true;
  }

  releaseLock(): void {
    for (const [key, holder] of locks) if (holder === this) locks.delete(key);
  }

  /** Like Electron: before-quit (preventable), then will-quit and quit. */
  quit(): void {
    this.record('quit');
    this.quitRequested += 1;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.emit('will-quit', { preventDefault() {} });
    this.emit('quit');
    this.releaseLock();
  }

  /** Like Electron: ends without before-quit. */
  exit(code = 0): void {
    this.record('exit', code);
    this.exitCode = code;
    this.releaseLock();
  }
}

// ── windows ──────────────────────────────────────────────────────────────────

/** session.protocol: handlers by scheme, as protocol.handle registers them. */
export class FakeSessionProtocol {
  readonly handlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    if (this.handlers.has(scheme)) throw new Error(`The scheme "${scheme}" is already handled`);
    this.handlers.set(scheme, handler);
  }
  /** What the page gets for a URL: the registered handler's Response (Electron has no fallback). */
  async fetch(url: string): Promise<Response> {
    const handler = this.handlers.get(new URL(url).protocol.slice(0, -1));
    if (!handler) throw new Error(`ERR_UNKNOWN_URL_SCHEME: no handler for ${url}`);
    return handler(new Request(url));
  }
}

export class FakeSession {
  permissionRequestHandler?: (webContents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void;
  permissionCheckHandler?: (webContents: unknown, permission: string, origin: string, details: unknown) => boolean;
  readonly protocol = new FakeSessionProtocol();
  setPermissionRequestHandler(handler: NonNullable<FakeSession['permissionRequestHandler']>): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: NonNullable<FakeSession['permissionCheckHandler']>): void {
    this.permissionCheckHandler = handler;
  }
}

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

let nextWebContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextWebContentsId++;
  readonly session = new FakeSession();
  /** Every webContents.send, as the renderer would receive it (structured-cloned). */
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  windowOpenHandler?: (details: { url: string }) => { action: 'allow' | 'deny' };
  readonly mainFrame: FakeFrame = { url: '', parent: null };
  destroyed = false;
  crashed = false;

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    const cloned = structuredClone(args);
    this.sent.push({ channel, args: cloned });
    if (world.ipcRendererAttachedTo === this) ipcRenderer.deliver(channel, cloned);
  }
  setWindowOpenHandler(handler: NonNullable<FakeWebContents['windowOpenHandler']>): void {
    this.windowOpenHandler = handler;
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isCrashed(): boolean {
    return this.crashed;
  }
  reload(): void {}
  /** Test helper: a navigation attempt; returns whether it was prevented. */
  tryNavigate(url: string): boolean {
    let prevented = false;
    this.emit('will-navigate', { preventDefault: () => (prevented = true), url }, url);
    return prevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static readonly instances: FakeBrowserWindow[] = [];
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.instances.filter((window) => !window.destroyed);
  }

  readonly webContents = new FakeWebContents();
  readonly calls: CallRecord[] = [];
  visible = false;
  minimized = false;
  focused = false;
  destroyed = false;
  /** What loadURL got from the session's protocol handler (the page's own response). */
  loadedResponse?: Response;

  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
    world.ipcRendererAttachedTo = this.webContents;
  }

  async loadURL(url: string): Promise<void> {
    this.calls.push({ api: 'loadURL', args: [url] });
    this.loadedResponse = await this.webContents.session.protocol.fetch(url);
    if (!this.loadedResponse.ok) throw new Error(`ERR_FAILED (${this.loadedResponse.status}) loading '${url}'`);
    this.webContents.mainFrame.url = url;
    setImmediate(() => this.emit('ready-to-show'));
  }
  show(): void {
    this.calls.push({ api: 'show', args: [] });
    this.visible = true;
  }
  hide(): void {
    this.calls.push({ api: 'hide', args: [] });
    this.visible = false;
  }
  focus(): void {
    this.calls.push({ api: 'focus', args: [] });
    this.focused = true;
  }
  restore(): void {
    this.minimized = false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Like the user clicking the close button: 'close' (preventable), then destroyed. */
  close(): void {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.destroy();
  }
  destroy(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

// ── tray and menus ───────────────────────────────────────────────────────────

export interface FakeMenuItem {
  label?: string;
  type?: string;
  enabled?: boolean;
  checked?: boolean;
  click?: () => void;
}

export class FakeMenu {
  constructor(readonly items: FakeMenuItem[]) {}
  static buildFromTemplate(template: FakeMenuItem[]): FakeMenu {
    return new FakeMenu(template.map((item) => ({ ...item })));
  }
  item(label: string): FakeMenuItem {
    const found = this.items.find((item) => item.label === label);
    if (!found) throw new Error(`no menu item "${label}" in ${JSON.stringify(this.items.map((item) => item.label))}`);
    return found;
  }
}

export class FakeTray extends EventEmitter {
  static readonly instances: FakeTray[] = [];
  readonly images: Array<{ path: string }> = [];
  readonly menus: FakeMenu[] = [];
  tooltip = '';
  destroyed = false;

  constructor(image: { path: string }) {
    super();
    this.images.push(image);
    FakeTray.instances.push(this);
  }
  setImage(image: { path: string }): void {
    this.images.push(image);
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: FakeMenu): void {
    this.menus.push(menu);
  }
  destroy(): void {
    this.destroyed = true;
  }
  get menu(): FakeMenu {
    const menu = this.menus.at(-1);
    if (!menu) throw new Error('no context menu set yet');
    return menu;
  }
  get image(): string {
    return this.images.at(-1)!.path;
  }
}

// ── notifications ────────────────────────────────────────────────────────────

export class FakeNotification extends EventEmitter {
  static readonly instances: FakeNotification[] = [];
  static supported = true;
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  shown = false;
  constructor(readonly options: { title: string; body: string }) {
    super();
    FakeNotification.instances.push(this);
  }
  show(): void {
    this.shown = true;
  }
  /** Test helper: the user clicks the notification. */
  click(): void {
    this.emit('click', { preventDefault() {} });
  }
}

// ── IPC ──────────────────────────────────────────────────────────────────────

export interface FakeInvokeEvent {
  sender: FakeWebContents | { id: number };
  senderFrame: FakeFrame | null;
}

type Handler = (event: FakeInvokeEvent, ...args: unknown[]) => unknown;

export const ipcMain = {
  handlers: new Map<string, Handler>(),
  listeners: new Map<string, Array<(...args: unknown[]) => void>>(),
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  },
  on(channel: string, listener: (...args: unknown[]) => void): void {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
  },
  /** What ipcRenderer.invoke does: clone the arguments, run the handler, clone the result. */
  async invoke(channel: string, event: FakeInvokeEvent, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    try {
      return structuredClone(await handler(event, ...structuredClone(args)));
    } catch (error) {
      throw new Error(`Error invoking remote method '${channel}': ${String(error)}`, { cause: error });
    }
  },
};

class FakeIpcRenderer extends EventEmitter {
  /** The event object the renderer's listeners get (the preload must never pass it on). */
  readonly eventObject = { sender: 'ipcRenderer-event-object' };
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const webContents = world.ipcRendererAttachedTo;
    if (!webContents) return Promise.reject(new Error('no window'));
    return ipcMain.invoke(channel, { sender: webContents, senderFrame: webContents.mainFrame }, ...args);
  }
  deliver(channel: string, args: unknown[]): void {
    this.emit(channel, this.eventObject, ...args);
  }
}

export const ipcRenderer = new FakeIpcRenderer();

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    world.exposed[key] = api;
  },
};

// ── utilityProcess (backed by child_process) ─────────────────────────────────

export class FakeUtilityProcess extends EventEmitter {
  pid: number | undefined;
  stdout: NodeJS.ReadableStream | null;
  stderr: NodeJS.ReadableStream | null;
  readonly child: ChildProcess;

  constructor(modulePath: string, args: string[], options: { env?: Record<string, string>; cwd?: string; stdio?: string }) {
    super();
    const piped = options.stdio === 'pipe';
    // Not detached: a utility process shares Electron's process group, as it does for real.
    this.child = spawn(process.execPath, [modulePath, ...args], {
      env: options.env,
      cwd: options.cwd,
      stdio: ['ignore', piped ? 'pipe' : 'ignore', piped ? 'pipe' : 'ignore'],
    });
    this.stdout = this.child.stdout;
    this.stderr = this.child.stderr;
    world.children.add(this.child);
    this.child.once('spawn', () => {
      this.pid = this.child.pid;
      this.emit('spawn');
    });
    this.child.once('exit', (code, signal) => {
      world.children.delete(this.child);
      this.pid = undefined;
      // waitpid's raw status for a signal death is the signal number; Electron passes it as the code.
      this.emit('exit', code ?? (signal ? os.constants.signals[signal] : 0));
      this.stdout = null;
      this.stderr = null;
    });
    this.child.once('error', () => {
      world.children.delete(this.child);
      this.emit('exit', 1);
    });
  }

  /** SIGTERM only, as Electron's. */
  kill(): boolean {
    return this.child.kill('SIGTERM');
  }
}

export const utilityProcess = {
  forks: [] as Array<{ modulePath: string; args: string[]; options: Record<string, unknown>; process: FakeUtilityProcess }>,
  fork(modulePath: string, args: string[] = [], options: { env?: Record<string, string>; cwd?: string; stdio?: string; serviceName?: string } = {}) {
    if (!world.app.isReady()) throw new Error('utilityProcess cannot be created before app is ready.');
    const child = new FakeUtilityProcess(modulePath, args, options);
    this.forks.push({ modulePath, args, options, process: child });
    return child;
  },
};

// ── shell, dialog, nativeImage ───────────────────────────────────────────────

export const shell = {
  opened: [] as string[],
  revealed: [] as string[],
  async openPath(target: string): Promise<string> {
    this.opened.push(target);
    return fs.existsSync(target) ? '' : `${target} does not exist`;
  },
  showItemInFolder(target: string): void {
    this.revealed.push(target);
  },
  async openExternal(): Promise<void> {},
};

export const dialog = {
  messageBoxes: [] as Array<Record<string, unknown>>,
  errorBoxes: [] as Array<{ title: string; content: string }>,
  async showMessageBox(options: Record<string, unknown>): Promise<{ response: number; checkboxChecked: boolean }> {
    this.messageBoxes.push(options);
    return { response: 0, checkboxChecked: false };
  },
  showErrorBox(title: string, content: string): void {
    this.errorBoxes.push({ title, content });
  },
};

export const nativeImage = {
  createFromPath(file: string): { path: string; isEmpty(): boolean } {
    return { path: file, isEmpty: () => !fs.existsSync(file) };
  },
};

// ── protocol, powerMonitor ───────────────────────────────────────────────────

export const protocol = {
  privileged: [] as Array<{ scheme: string; privileges: Record<string, boolean> }>,
  registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges: Record<string, boolean> }>): void {
    // As Electron: only before 'ready'.
    if (world.app.isReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    this.privileged.push(...schemes);
  },
};

/** powerMonitor: tests emit 'shutdown' with an event whose preventDefault they can observe. */
export class FakePowerMonitor extends EventEmitter {
  /** Like the OS announcing a shutdown; returns whether the app asked it to wait. */
  emitShutdown(): boolean {
    let prevented = false;
    this.emit('shutdown', { preventDefault: () => (prevented = true) });
    return prevented;
  }
}

// ── net and session (what electron-updater's HTTP client uses) ──────────────

/** net.request over Node's http: the same ClientRequest events ('response', 'error'), loopback feeds only. */
export const net = {
  request(options: {
    protocol?: string;
    hostname?: string;
    host?: string;
    port?: number | string;
    path?: string;
    method?: string;
    headers?: Record<string, string>;
  }) {
    if (options.protocol !== 'http:') throw new Error(`the fake net only speaks http, asked for ${options.protocol}`);
    return http.request({
      hostname: options.hostname ?? options.host,
      port: options.port,
      path: options.path,
      method: options.method ?? 'GET',
      headers: options.headers,
    });
  },
};

export const session = {
  fromPartition(): Record<string, never> {
    return {};
  },
};

// ── the world: current app and recordings, reset per test ────────────────────

export const world = {
  app: new FakeApp(),
  exposed: {} as Record<string, unknown>,
  ipcRendererAttachedTo: undefined as FakeWebContents | undefined,
  children: new Set<ChildProcess>(),
  powerMonitor: new FakePowerMonitor(),
};

/** A fresh app (and fresh recordings) for the next test. */
export function resetElectron(options: FakeAppOptions = {}): FakeApp {
  world.app.releaseLock();
  world.app = new FakeApp(options);
  world.exposed = {};
  world.ipcRendererAttachedTo = undefined;
  world.powerMonitor = new FakePowerMonitor();
  protocol.privileged.length = 0;
  FakeBrowserWindow.instances.length = 0;
  FakeTray.instances.length = 0;
  FakeNotification.instances.length = 0;
  FakeNotification.supported = true;
  ipcMain.handlers.clear();
  utilityProcess.forks.length = 0;
  shell.opened.length = 0;
  shell.revealed.length = 0;
  dialog.messageBoxes.length = 0;
  dialog.errorBoxes.length = 0;
  ipcRenderer.removeAllListeners();
  return world.app;
}

/** For afterEach: a utility child the shell failed to stop would otherwise outlive the test. */
export function killStrayChildren(): number {
  let killed = 0;
  for (const child of world.children) {
    if (child.kill('SIGKILL')) killed += 1;
  }
  world.children.clear();
  return killed;
}

/** What require('electron') gives in the main process (no renderer APIs there). */
const mainProcessElectron = {
  get app() {
    return world.app;
  },
  get powerMonitor() {
    return world.powerMonitor;
  },
  protocol,
  net,
  session,
  BrowserWindow: FakeBrowserWindow,
  Menu: FakeMenu,
  Tray: FakeTray,
  Notification: FakeNotification,
  ipcMain,
  utilityProcess,
  shell,
  dialog,
  nativeImage,
};

/** For vi.mock('electron'): the main-process API plus what the preload uses. */
export const electron = Object.defineProperties(
  { ipcRenderer, contextBridge },
  Object.getOwnPropertyDescriptors(mainProcessElectron),
) as typeof mainProcessElectron & {
  ipcRenderer: typeof ipcRenderer;
  contextBridge: typeof contextBridge;
};

// CommonJS dependencies (electron-log/main) require('electron') through Node's loader: serve them
// the main-process fake.
const require = createRequire(import.meta.url);
const electronId = require.resolve('electron');
const cached = new Module(electronId);
cached.filename = electronId;
cached.loaded = true;
cached.exports = mainProcessElectron;
require.cache[electronId] = cached;
