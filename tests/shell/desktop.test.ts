// Desktop integration through the fake Electron boundary, with the real core and the real
// reference gateway behind it: settings through electron-store, start at login (login item /
// XDG autostart entry), --hidden starts, the tray's toggles, notifications and the language.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

import { FakeApp, FakeNotification, ipcMain, REPO_ROOT } from './fake-electron';
import { openConfStore } from '../../electron/core/settings/conf-store';
import { SETTINGS_SCHEMA_VERSION } from '../../electron/core/settings/migrate';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/schema';
import { loadSettings, SETTINGS_FILE } from '../../electron/core/settings/store';
import { openElectronStore } from '../../electron/settings-store';
import { SLOW_RESTART_MS } from '../../electron/notifications/policy';
import { applyStartAtLogin, autostartFile, desktopEntry, HIDDEN_ARG, launchedAtLogin } from '../../electron/login-item';
import { waitFor } from '../helpers/wait';
import { desktopAppHooks, startApp, tempDir } from './app-harness';

desktopAppHooks();

const autostartIn = (env: NodeJS.ProcessEnv) => path.join(env.XDG_CONFIG_HOME!, 'autostart', 'pincer.desktop');

describe('settings through electron-store', () => {
  it('the shell migrates a 0.1 file and writes settings.json with electron-store (0600, schemaVersion); the headless twin reads the same file with conf', async () => {
    // The harness writes a Pincer 0.1 file (no schemaVersion): electron-store's load migrates it in place.
    const app = await startApp({ settings: { autoStart: false } });
    const file = path.join(app.dataDir, SETTINGS_FILE);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ schemaVersion: SETTINGS_SCHEMA_VERSION, ...app.run.service.getSettings() });
    expect(app.run.service.getSettings()).toMatchObject({ gatewayPort: app.port, gatewayKind: 'reference', heartbeatMs: 1_000, autoStart: false });
    // electron-store ran against (fake) Electron: it registered its IPC data listener.
    expect(ipcMain.listeners.has('electron-store-get-data')).toBe(true);
    app.tray.menu.item('Notifications').click!();
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({
      schemaVersion: SETTINGS_SCHEMA_VERSION,
      notifications: false,
      gatewayPort: app.port,
    });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    await app.quit();
    expect(loadSettings(app.dataDir, openConfStore).settings).toMatchObject({ notifications: false, gatewayPort: app.port, autoStart: false });
  });

  it.each([
    ['truncated JSON', '{"gatewayPort": 20', /not valid JSON/],
    ['an invalid value', '{"gatewayPort": 80}', /gatewayPort must be a whole number/],
    ['a newer schema', '{"schemaVersion": 99}', /newer Pincer/],
  ])('electron-store, %s: the file moved aside (never deleted), defaults, a clear message', (_name, content, reason) => {
    const dataDir = tempDir('pincer-corrupt-');
    fs.writeFileSync(path.join(dataDir, SETTINGS_FILE), content);
    const loaded = loadSettings(dataDir, openElectronStore);
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(loaded.problem).toMatch(reason);
    const aside = fs.readdirSync(dataDir).filter((name) => name.startsWith(`${SETTINGS_FILE}.invalid-`));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dataDir, aside[0]!), 'utf8')).toBe(content);
  });

  it('electron-store (ESM-only) bundles into the CommonJS main bundle and works there', async () => {
    // Inside the checkout, so the bundle's require('electron') resolves to node_modules/electron — the fake.
    const cache = path.join(REPO_ROOT, 'node_modules', '.cache');
    fs.mkdirSync(cache, { recursive: true });
    const dir = fs.mkdtempSync(path.join(cache, 'pincer-bundle-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const out = path.join(dir, 'settings-store.cjs');
    await build({
      entryPoints: [path.join(REPO_ROOT, 'electron/settings-store.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['electron'],
      outfile: out,
      logLevel: 'error',
    });
    // The fake is installed in Node's require cache under node_modules/electron's path.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CJS bundle under test is what main.cjs would require
    const { openElectronStore } = require(out) as typeof import('../../electron/settings-store');
    const dataDir = tempDir('pincer-bundle-data-');
    const { store } = loadSettings(dataDir, openElectronStore);
    expect(store.path).toBe(path.join(dataDir, SETTINGS_FILE));
    store.store = { schemaVersion: SETTINGS_SCHEMA_VERSION, gatewayPort: 20123 };
    expect(loadSettings(dataDir, openConfStore).settings.gatewayPort).toBe(20123);
  });
});

describe('start at login', () => {
  it('Linux: the setting writes an XDG autostart entry for the AppImage with --hidden; the tray toggle removes and restores it', async () => {
    const appImage = tempDir('pincer-appimage-') + '/Pincer 1.0 "$x".AppImage';
    const app = await startApp({ settings: { startAtLogin: true, autoStart: false }, env: { APPIMAGE: appImage } });
    const file = autostartIn(app.host.env);
    expect(file.startsWith(app.host.env.XDG_CONFIG_HOME!)).toBe(true);
    const entry = fs.readFileSync(file, 'utf8');
    expect(entry).toContain('[Desktop Entry]\nType=Application\nName=Pincer\n');
    expect(entry).toMatch(/^Exec=.*--hidden"$/m);
    // The AppImage path is quoted and escaped as the Desktop Entry spec asks ($ and " escaped).
    expect(entry.split('\n').find((line) => line.startsWith('Exec='))).toBe(`Exec="${appImage.replace(/["$]/g, (c) => `\\\\${c}`)}" "--hidden"`);
    expect(app.tray.menu.item('Start Pincer at Login').checked).toBe(true);

    app.tray.menu.item('Start Pincer at Login').click!();
    expect(fs.existsSync(file)).toBe(false);
    expect(app.run.service.getSettings().startAtLogin).toBe(false);
    expect(app.tray.menu.item('Start Pincer at Login').checked).toBe(false);

    app.tray.menu.item('Start Pincer at Login').click!();
    expect(fs.readFileSync(file, 'utf8')).toBe(entry);
  });

  it('Linux, not an AppImage: the entry runs the executable (and the app folder in a development run)', async () => {
    const app = await startApp({ settings: { startAtLogin: true, autoStart: false }, env: { APPIMAGE: '' } });
    const exec = fs
      .readFileSync(autostartIn(app.host.env), 'utf8')
      .split('\n')
      .find((line) => line.startsWith('Exec='));
    expect(exec).toBe(`Exec="${app.app.getPath('exe')}" "${REPO_ROOT}" "--hidden"`);
  });

  it('a change from the dashboard (IPC settings update) applies too; a disabled setting removes a stale entry at start', async () => {
    const app = await startApp({ settings: { autoStart: false } });
    const file = autostartIn(app.host.env);
    expect(fs.existsSync(file)).toBe(false);
    expect(app.run.service.updateSettings({ startAtLogin: true }).ok).toBe(true);
    expect(fs.existsSync(file)).toBe(true);
    await app.quit();
    // The twin turned it off meanwhile: the next desktop start removes the entry.
    const { store } = loadSettings(app.dataDir, openConfStore);
    store.store = { ...store.store, startAtLogin: false };
    const again = await startApp({ settings: { autoStart: false, startAtLogin: false }, env: { XDG_CONFIG_HOME: app.host.env.XDG_CONFIG_HOME } });
    expect(again.run.service.getSettings().startAtLogin).toBe(false);
    expect(fs.existsSync(file)).toBe(false);
  });

  it.each<[NodeJS.Platform, NodeJS.ProcessEnv, string]>([
    ['win32', {}, '/apps/Pincer.exe'],
    ['win32', { PORTABLE_EXECUTABLE_FILE: 'E:\\Pincer\\Pincer-portable.exe' }, 'E:\\Pincer\\Pincer-portable.exe'],
    ['darwin', {}, '/apps/Pincer.exe'],
  ])('%s %j: app.setLoginItemSettings with --hidden, and off again', (platform, env, target) => {
    const app = new FakeApp({ exePath: '/apps/Pincer.exe' });
    Object.defineProperty(app, 'isPackaged', { value: true });
    applyStartAtLogin(true, { platform, env, app: app as never });
    applyStartAtLogin(false, { platform, env, app: app as never });
    expect(app.calls.filter((call) => call.api === 'setLoginItemSettings').map((call) => call.args[0])).toEqual([
      { openAtLogin: true, path: target, args: [HIDDEN_ARG] },
      { openAtLogin: false, path: target, args: [HIDDEN_ARG] },
    ]);
  });

  it('autostart location follows XDG_CONFIG_HOME (absolute only), else ~/.config; Exec escapes per the spec', () => {
    expect(autostartFile({ XDG_CONFIG_HOME: '/x/conf' }, '/home/u')).toBe('/x/conf/autostart/pincer.desktop');
    expect(autostartFile({ XDG_CONFIG_HOME: 'relative' }, '/home/u')).toBe('/home/u/.config/autostart/pincer.desktop');
    expect(autostartFile({}, '/home/u')).toBe('/home/u/.config/autostart/pincer.desktop');
    expect(desktopEntry(['/a b/p`c\\d%e'])).toContain('Exec="/a b/p\\\\`c\\\\\\\\d%%e" "--hidden"');
  });

  it.each<[string[], boolean, boolean]>([
    [['/usr/bin/pincer', HIDDEN_ARG], false, true],
    [['/usr/bin/pincer'], true, true],
    [['/usr/bin/pincer'], false, false],
  ])('argv %j, macOS opened at login %s → started at login %s', (argv, wasOpenedAtLogin, expected) => {
    expect(launchedAtLogin(argv, wasOpenedAtLogin)).toBe(expected);
  });

  it('started with --hidden (at login): no window shown, the tray is there; the tray opens it', async () => {
    const app = await startApp({ argv: ['/opt/Pincer/pincer', HIDDEN_ARG] });
    await app.waitForState('running');
    expect(app.window.visible).toBe(false);
    expect(app.window.calls.some((call) => call.api === 'show')).toBe(false);
    app.tray.menu.item('Open Dashboard').click!();
    expect(app.window.visible).toBe(true);
  });
});

describe('tray toggles', () => {
  it('show the settings as checkboxes and save a click', async () => {
    const app = await startApp({ settings: { autoStart: false, startMinimized: true } });
    const checked = (label: string) => app.tray.menu.item(label).checked;
    expect([
      checked('Start Pincer at Login'),
      checked('Start the Gateway When Pincer Starts'),
      checked('Start Hidden in the Tray'),
      checked('Notifications'),
    ]).toEqual([false, false, true, true]);
    expect(app.tray.menu.item('Start Hidden in the Tray').type).toBe('checkbox');
    app.tray.menu.item('Start the Gateway When Pincer Starts').click!();
    app.tray.menu.item('Start Hidden in the Tray').click!();
    expect(app.run.service.getSettings()).toMatchObject({ autoStart: true, startMinimized: false });
    expect([checked('Start the Gateway When Pincer Starts'), checked('Start Hidden in the Tray')]).toEqual([true, false]);
    // A setting only: clicking it does not start the gateway now.
    expect(app.status().state).toBe('stopped');
  });
});

describe('language', () => {
  it('follows the OS locale (zh-CN): tray and tooltip in Chinese; the setting switches it live', async () => {
    const app = await startApp({ app: { locale: 'zh-CN' } });
    await waitFor(() => app.tray.menu.items[0]!.label?.startsWith('网关运行中 · 端口'), { what: 'a Chinese status line', timeoutMs: 30_000 });
    expect(app.tray.menu.item('打开控制面板').enabled).toBe(true);
    expect(app.tray.menu.item('登录时启动 Pincer').checked).toBe(false);
    expect(app.tray.tooltip).toMatch(/^Pincer — 网关运行中 · 端口 \d+ · pid \d+/);
    expect(app.run.service.updateSettings({ language: 'en' }).ok).toBe(true);
    expect(app.tray.menu.item('Open Dashboard').enabled).toBe(true);
    expect(app.tray.menu.items[0]!.label).toMatch(/^Gateway running · port/);
  });

  it('English for other locales', async () => {
    const app = await startApp({ app: { locale: 'fr-FR' }, settings: { autoStart: false } });
    expect(app.tray.menu.item('Quit Pincer').enabled).toBe(true);
  });
});

describe('notifications', () => {
  const foreign: ChildProcess[] = [];
  afterEach(() => {
    for (const child of foreign.splice(0)) child.kill('SIGKILL');
  });

  it('a crash: "back up" once it recovers; clicking it shows the dashboard', async () => {
    const app = await startApp({ settings: { startMinimized: true } });
    const first = await app.waitForState('running');
    process.kill(first.pid!, 'SIGKILL');
    const notification = await waitFor(() => FakeNotification.instances[0], { what: 'a notification', timeoutMs: 30_000 });
    expect(app.status().state).toBe('running');
    expect(notification.shown).toBe(true);
    expect(notification.options.title).toBe('Pincer: the gateway is back');
    // utilityProcess reports a signal death as the signal's number in its exit code.
    expect(notification.options.body).toBe(`The gateway stopped unexpectedly (exit code 9); Pincer restarted it on port ${app.port}.`);
    expect(app.window.visible).toBe(false);
    notification.click();
    expect(app.window.visible).toBe(true);
    expect(FakeNotification.instances).toHaveLength(1);
  });

  it('the port held by another program: an error notification in the OS language, with the localized hint', async () => {
    const app0 = { port: 0 };
    const { freePort } = await import('../helpers/ports');
    app0.port = await freePort();
    const holder = spawn(
      process.execPath,
      ['-e', `require('http').createServer((q,s)=>{s.writeHead(404);s.end('not a gateway')}).listen(${app0.port},'127.0.0.1',()=>console.log('up'))`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    foreign.push(holder);
    await new Promise((resolve) => holder.stdout!.once('data', resolve));
    const app = await startApp({ app: { locale: 'zh-CN' }, settings: { gatewayPort: app0.port } });
    await app.waitForState('error');
    const notification = await waitFor(() => FakeNotification.instances[0], { what: 'a notification' });
    expect(notification.options.title).toBe('Pincer：网关已停止工作');
    expect(notification.options.body).toMatch(new RegExp(`^端口 ${app0.port} 被其他程序占用\\n请停止占用该端口的程序`));
  });

  it('a restart asked for in the tray that takes longer than a few seconds: one "restart finished"', async () => {
    // The reference gateway answers /readyz only after this delay, on every start.
    const app = await startApp({ settings: { gatewayEnv: { PINCER_REFGW_START_DELAY_MS: String(SLOW_RESTART_MS + 500) } } });
    const first = await app.waitForState('running');
    app.tray.menu.item('Restart Gateway').click!();
    const notification = await waitFor(() => FakeNotification.instances[0], { what: 'the restart notification', timeoutMs: 45_000 });
    expect(app.status().pid).not.toBe(first.pid);
    expect(notification.options.title).toBe('Pincer: restart finished');
    expect(notification.options.body).toMatch(new RegExp(`^The gateway is running again on port ${app.port} \\(the restart took [5-9]\\d* s\\)\\.$`));
    expect(FakeNotification.instances).toHaveLength(1);
  });

  it('turned off by the setting: a crash shows nothing', async () => {
    const app = await startApp({ settings: { notifications: false } });
    const first = await app.waitForState('running');
    process.kill(first.pid!, 'SIGKILL');
    await waitFor(() => (app.status().state === 'running' && app.status().pid !== first.pid ? true : undefined), {
      what: 'the restart after the crash',
      timeoutMs: 30_000,
    });
    expect(FakeNotification.instances).toHaveLength(0);
  });
});
