// The desktop app end to end through the fake Electron boundary: real core, real reference
// gateway (through the utilityProcess launcher backed by real child processes), real files.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

import {
  resetElectron,
  world,
  FakeApp,
  FakeWebContents,
  ipcMain,
  ipcRenderer,
  shell,
  dialog,
  protocol,
  utilityProcess,
  REPO_ROOT,
} from './fake-electron';
import type { PincerApi } from '../../electron/core/api';
import type { GatewayStatus } from '../../electron/core/status';
import { INVOKE_CHANNELS, PUSH_CHANNELS } from '../../electron/ipc-channels';
import { runApp } from '../../electron/run-app';
import { APP_PAGE_URL } from '../../electron/app-protocol';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../../electron/core/csp';
import { waitFor } from '../helpers/wait';
import { desktopAppHooks, fakeHost, procTree, startApp, tempDir } from './app-harness';
import { isAlive } from '../../electron/core/process/tree';

const RUNNING_LINE = /^Gateway running · port (\d+) · pid (\d+)$/;

desktopAppHooks();

/** An invoke as the dashboard page in our window would make it. */
function invokeAsPage(channel: string, ...args: unknown[]): Promise<unknown> {
  const webContents = world.ipcRendererAttachedTo!;
  return ipcMain.invoke(channel, { sender: webContents, senderFrame: webContents.mainFrame }, ...args);
}

describe('desktop app', () => {
  it('auto-starts the gateway in a utility process; the tray shows it running (status line, icon, tooltip)', async () => {
    const app = await startApp();
    await waitFor(() => RUNNING_LINE.test(app.tray.menu.items[0]!.label ?? ''), { what: 'the tray status line to say running', timeoutMs: 30_000 });
    const [, port, pid] = RUNNING_LINE.exec(app.tray.menu.items[0]!.label!)!;
    expect(Number(port)).toBe(app.port);
    expect(Number(pid)).toBe(app.status().pid);
    expect(app.tray.menu.items[0]!.enabled).toBe(false);
    expect(app.tray.image).toBe(path.join(REPO_ROOT, 'resources/icons/tray/linux/tray-running.png'));
    expect(app.window.options.icon).toBe(path.join(REPO_ROOT, 'resources/icons/app/256x256.png'));
    expect(fs.existsSync(app.tray.image)).toBe(true);
    expect(app.tray.tooltip).toMatch(new RegExp(`^Pincer — Gateway running · port ${app.port} · pid ${pid}\\nup \\d+ s$`));
    expect(app.tray.menu.item('Start Gateway').enabled).toBe(false);
    expect(app.tray.menu.item('Stop Gateway').enabled).toBe(true);
    expect(app.tray.menu.item('Restart Gateway').enabled).toBe(true);
    // Every state the gateway went through got its own, whole new menu.
    const lines = app.tray.menus.map((menu) => menu.items[0]!.label);
    expect(lines[0]).toMatch(/^Gateway stopped/);
    expect(lines).toContainEqual(expect.stringMatching(/^Gateway starting/));
    expect(new Set(app.tray.menus).size).toBe(app.tray.menus.length);
    // A status change the menu does not show (a socket sample) does not rebuild it.
    const menus = app.tray.menus.length;
    await app.run.service.sampleSockets();
    // Sampled where the gateway itself listens: behind the front door, its internal port.
    expect(app.status().sockets?.port).toBe(app.status().frontDoor!.internalPort);
    expect(app.tray.menus.length).toBe(menus);

    // Launched as the issue asks: utilityProcess, stdio piped, named; the token in env, never argv.
    expect(utilityProcess.forks).toHaveLength(1);
    const fork = utilityProcess.forks[0]!;
    const token = fs.readFileSync(path.join(app.dataDir, 'gateway-token'), 'utf8').trim();
    expect(fork.modulePath).toBe(path.join(REPO_ROOT, 'dist/gateway/reference-gateway.cjs'));
    expect(fork.options).toMatchObject({ stdio: 'pipe', serviceName: 'Pincer Gateway' });
    expect(fork.options.env).toMatchObject({ OPENCLAW_GATEWAY_TOKEN: token, OPENCLAW_EXEC_SHELL_SNAPSHOT: '0', OPENCLAW_NO_RESPAWN: '1' });
    expect(fork.args.join(' ')).not.toContain(token);
    // The RunAsNode fuse is off in packaged builds: nothing may depend on ELECTRON_RUN_AS_NODE.
    expect(fork.options.env).not.toHaveProperty('ELECTRON_RUN_AS_NODE');
    expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(token);
    // The window was shown (not started minimized) with the built dashboard.
    expect(app.window.webContents.getURL()).toBe(APP_PAGE_URL);
    await waitFor(() => app.window.visible, { what: 'the window to show' });
  });

  it('tray Restart: a new pid and exactly one restart, even when clicked 5 times quickly', async () => {
    const app = await startApp();
    const first = await app.waitForState('running');
    const restart = app.tray.menu.item('Restart Gateway');
    const menusBefore = app.tray.menus.length;
    restart.click!();
    // Blue/green behind the front door: restarting, then the next generation's start phases.
    await waitFor(() => app.tray.menus.slice(menusBefore).some((menu) => menu.items[0]!.label?.startsWith('Gateway restarting')), {
      what: 'a menu saying restarting',
    });
    await waitFor(() => /^Gateway (restarting|starting)/.test(app.tray.menu.items[0]!.label ?? ''), { what: 'the menu to show the restart' });
    // Linux may deliver clicks of a menu that was already replaced: they must join, not repeat.
    for (let i = 0; i < 4; i++) restart.click!();
    expect(app.tray.menu.item('Restart Gateway').enabled).toBe(false);
    expect(app.tray.image).toMatch(/tray-(restarting|starting)\.png$/);
    const after = await waitFor(() => (app.status().state === 'running' && app.status().pid !== first.pid ? app.status() : undefined), {
      what: 'running with a new pid',
      timeoutMs: 30_000,
    });
    expect(after.restarts).toBe(first.restarts + 1);
    expect(utilityProcess.forks).toHaveLength(2);
    // Blue/green: the old generation goes once the new one serves.
    await waitFor(() => !isAlive(first.pid!), { what: 'the old gateway to be gone' });
    expect(app.run.service.supervisor.timeline().filter((entry) => entry.state === 'restarting')).toHaveLength(1);
    await waitFor(() => RUNNING_LINE.exec(app.tray.menu.items[0]!.label ?? '')?.[2] === String(after.pid), { what: 'the menu to show the new pid' });
  });

  it('tray Stop and Start: each enabled only when it makes sense; the icon follows the state', async () => {
    const app = await startApp();
    await app.waitForState('running');
    app.tray.menu.item('Stop Gateway').click!();
    await app.waitForState('stopped');
    await waitFor(() => app.tray.menu.item('Start Gateway').enabled, { what: 'Start to be enabled' });
    expect(app.tray.menu.item('Stop Gateway').enabled).toBe(false);
    expect(app.tray.menu.item('Restart Gateway').enabled).toBe(false);
    expect(app.tray.image).toMatch(/tray-stopped\.png$/);
    expect((await procTree(process.pid)).filter((pid) => pid === utilityProcess.forks[0]!.process.child.pid)).toEqual([]);
    app.tray.menu.item('Start Gateway').click!();
    await app.waitForState('running');
    await waitFor(() => app.tray.image.endsWith('tray-running.png'), { what: 'the running icon' });
  });

  it('Quit (tray): stops the gateway and its worker, waits for the confirmed exit, then exits — no child left', async () => {
    const app = await startApp({ settings: { gatewayEnv: { PINCER_REFGW_SPAWN_WORKER: '1' } } });
    const { pid } = await app.waitForState('running');
    const tree = await waitFor(
      async () => {
        const found = await procTree(pid!);
        return found.length > 0 ? [pid!, ...found] : undefined;
      },
      { what: 'the gateway worker' },
    );
    app.tray.menu.item('Quit Pincer').click!();
    expect(app.app.exitCode).toBeUndefined(); // held back until the gateway is down
    expect(app.window.destroyed).toBe(false);
    await app.run.finished;
    expect(app.app.exitCode).toBe(0);
    expect(tree.filter(isAlive)).toEqual([]);
    expect((await procTree(process.pid)).filter((child) => tree.includes(child))).toEqual([]);
    expect(app.status().state).toBe('stopped');
  });

  it.each(['SIGTERM', 'SIGINT'])('%s to the app: the same graceful quit, no child left', async (signal) => {
    const app = await startApp();
    const { pid } = await app.waitForState('running');
    app.host.emit(signal);
    await app.run.finished;
    expect(app.app.exitCode).toBe(0);
    expect(isAlive(pid!)).toBe(false);
  });

  it('a quit from the OS (before-quit) while the gateway is still starting also leaves nothing behind', async () => {
    const app = await startApp({ settings: { gatewayEnv: { PINCER_REFGW_START_DELAY_MS: '1500' } } });
    const pid = await waitFor(() => utilityProcess.forks[0]?.process.pid, { what: 'the gateway to spawn' });
    app.app.quit();
    await app.run.finished;
    expect(app.app.exitCode).toBe(0);
    expect(isAlive(pid)).toBe(false);
  });

  it('a second launch focuses the first window and quits without starting anything', async () => {
    const first = await startApp();
    await first.waitForState('running');
    first.window.close(); // closing hides to the tray
    expect(first.window.visible).toBe(false);
    expect(first.window.destroyed).toBe(false);
    first.window.focused = false;

    const second = new FakeApp({ exePath: first.app.getPath('exe') });
    world.app = second;
    try {
      const run = await runApp(fakeHost({ ...first.host.env }));
      expect(run.role).toBe('secondary');
      expect(second.calls.map((call) => call.api)).toEqual(['setPath', 'setAppLogsPath', 'requestSingleInstanceLock', 'quit']);
    } finally {
      world.app = first.app;
    }
    await waitFor(() => first.window.visible && first.window.focused, { what: 'the first window to be shown and focused' });
    expect(utilityProcess.forks).toHaveLength(1);
  });

  it('uncaught errors are logged and shown; the gateway keeps running', async () => {
    const app = await startApp();
    const { pid } = await app.waitForState('running');
    app.host.emit('uncaughtException', new Error('kaboom in main'));
    app.host.emit('unhandledRejection', new Error('rejected in main'));
    expect(dialog.messageBoxes[0]).toMatchObject({ type: 'error', message: expect.stringContaining('kaboom in main') });
    await waitFor(() => fs.readFileSync(path.join(app.dataDir, 'logs', 'main.log'), 'utf8').includes('rejected in main'), {
      what: 'the rejection in main.log',
    });
    expect(app.status()).toMatchObject({ state: 'running', pid });
    expect(isAlive(pid!)).toBe(true);
  });

  it('a startup failure is shown, and the app quits with code 1 without leaving anything running', async () => {
    const notADir = path.join(tempDir('pincer-bad-'), 'file');
    fs.writeFileSync(notADir, 'not a directory');
    resetElectron({ homePath: tempDir('pincer-home-') });
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const run = await runApp(fakeHost({ ...process.env, PINCER_DATA_DIR: path.join(notADir, 'data') }));
      expect(run.role).toBe('failed');
      await (run as Extract<typeof run, { role: 'failed' }>).finished;
    } finally {
      quiet.mockRestore();
    }
    expect(dialog.errorBoxes).toEqual([{ title: 'Pincer could not start', content: expect.stringMatching(/ENOTDIR|EEXIST/) }]);
    expect(world.app.exitCode).toBe(1);
    expect(utilityProcess.forks).toHaveLength(0);
  });

  it('honours autoStart=false and startMinimized; a Node runtime setting runs the gateway through child_process', async () => {
    const app = await startApp({ settings: { autoStart: false, startMinimized: true, nodePath: process.execPath } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(app.status().state).toBe('stopped');
    expect(app.window.calls.some((call) => call.api === 'show')).toBe(false);
    app.tray.menu.item('Start Gateway').click!();
    const { pid } = await app.waitForState('running');
    expect(utilityProcess.forks).toHaveLength(0);
    expect(await procTree(process.pid)).toContain(pid);
    app.tray.menu.item('Open Dashboard').click!();
    expect(app.window.visible && app.window.focused).toBe(true);
  });

  it('Open Logs Folder and Export Diagnostics… open the logs folder and reveal a diagnostics file', async () => {
    const app = await startApp();
    await app.waitForState('running');
    app.tray.menu.item('Open Logs Folder').click!();
    app.tray.menu.item('Export Diagnostics…').click!();
    await waitFor(() => shell.opened.length === 1 && shell.revealed.length === 1, { what: 'the folder and the file' });
    expect(shell.opened).toEqual([path.join(app.dataDir, 'logs')]);
    expect(path.dirname(shell.revealed[0]!)).toBe(path.join(app.dataDir, 'diagnostics'));
    expect(JSON.parse(fs.readFileSync(shell.revealed[0]!, 'utf8'))).toMatchObject({ status: { state: 'running' } });
  });
});

describe('window', () => {
  it('is isolated, sandboxed, without Node, under a CSP, and denies navigation, new windows and permissions', async () => {
    const app = await startApp({ settings: { autoStart: false } });
    const { webPreferences } = app.window.options as { webPreferences: Record<string, unknown> };
    expect(webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: path.join(REPO_ROOT, 'dist/preload.cjs'),
    });
    expect(fs.existsSync(webPreferences.preload as string)).toBe(true);

    // The page arrives through pincer://, so the CSP header really reaches it (file:// has no headers).
    expect(protocol.privileged).toEqual([{ scheme: 'pincer', privileges: { standard: true, secure: true } }]);
    const page = app.window.loadedResponse!;
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    // Its directives are checked in pure.test.ts (CONTENT_SECURITY_POLICY).
    const html = await page.text();
    expect(html).toBe(fs.readFileSync(path.join(REPO_ROOT, 'dist/renderer/index.html'), 'utf8'));
    // The meta tag (src/ and the build) holds the same policy minus what only a header can say.
    for (const file of ['src/index.html', 'dist/renderer/index.html']) {
      const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'));
      expect(meta?.[1]).toBe(META_CONTENT_SECURITY_POLICY);
    }
    // Every asset the page references comes through the same handler with the same header.
    const { session } = app.window.webContents;
    const assets = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      const response = await session.protocol.fetch(new URL(asset, APP_PAGE_URL).href);
      expect([asset, response.status, response.headers.get('content-security-policy')]).toEqual([asset, 200, CONTENT_SECURITY_POLICY]);
    }
    expect((await session.protocol.fetch('pincer://app/../../package.json')).status).not.toBe(200);

    let granted: boolean | undefined;
    session.permissionRequestHandler!(app.window.webContents, 'media', (answer) => (granted = answer), {});
    expect(granted).toBe(false);
    expect(session.permissionCheckHandler!(app.window.webContents, 'notifications', 'file://', {})).toBe(false);
    expect(app.window.webContents.tryNavigate('https://evil.example/')).toBe(true);
    expect(app.window.webContents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });
});

describe('IPC bridge', () => {
  it('has only the allowlisted channels (no gateway passthrough) and refuses foreign senders and frames', async () => {
    const app = await startApp({ settings: { autoStart: false } });
    // electron-log/main may have registered its own '__ELECTRON_LOG__' channel; besides it, only ours.
    const handled = [...ipcMain.handlers.keys()].filter((channel) => channel !== '__ELECTRON_LOG__');
    expect(handled.sort()).toEqual(Object.values(INVOKE_CHANNELS).sort());
    const page = app.window.webContents.mainFrame;

    await expect(invokeAsPage(INVOKE_CHANNELS.getStatus)).resolves.toMatchObject({ state: 'stopped', port: app.port });
    const foreignContents = new FakeWebContents();
    await expect(
      ipcMain.invoke(INVOKE_CHANNELS.getStatus, { sender: foreignContents, senderFrame: { url: page.url, parent: null } }),
    ).rejects.toThrow(/refused: the sender is not the Pincer window/);
    await expect(
      ipcMain.invoke(INVOKE_CHANNELS.start, { sender: app.window.webContents, senderFrame: { url: 'https://evil.example/', parent: null } }),
    ).rejects.toThrow(/refused: the sender page "https:\/\/evil.example\/" is not the Pincer dashboard/);
    await expect(
      ipcMain.invoke(INVOKE_CHANNELS.start, { sender: app.window.webContents, senderFrame: { url: page.url, parent: page } }),
    ).rejects.toThrow(/refused: the sender is a sub-frame/);
    await expect(ipcMain.invoke(INVOKE_CHANNELS.start, { sender: app.window.webContents, senderFrame: null })).rejects.toThrow(
      /refused: the sending frame is gone/,
    );
    await expect(invokeAsPage(INVOKE_CHANNELS.restart, { force: true })).rejects.toThrow(/restart takes no arguments/);
    expect(app.status().state).toBe('stopped'); // none of the refused calls did anything
    expect(utilityProcess.forks).toHaveLength(0);
  });

  it('validates settings: bad ports, strings and unknown keys get a clear error naming the field, and nothing is stored', async () => {
    const app = await startApp({ settings: { autoStart: false } });
    const file = path.join(app.dataDir, 'settings.json');
    const before = fs.readFileSync(file, 'utf8');
    const cases: Array<[unknown, Array<{ field: string; message: RegExp }>]> = [
      [{ gatewayPort: 80 }, [{ field: 'gatewayPort', message: /whole number from 1024 to 65535/ }]],
      [{ gatewayPort: 70000 }, [{ field: 'gatewayPort', message: /from 1024 to 65535/ }]],
      [{ gatewayPort: '20000' }, [{ field: 'gatewayPort', message: /whole number/ }]],
      [{ autoStart: 'yes' }, [{ field: 'autoStart', message: /true or false/ }]],
      [{ gatewayKind: 'docker' }, [{ field: 'gatewayKind', message: /one of auto, reference, openclaw/ }]],
      [{ bogus: 1 }, [{ field: 'bogus', message: /not a known setting/ }]],
      [{ gatewayPort: 20000, bogus: 1 }, [{ field: 'bogus', message: /not a known setting/ }]],
      ['{"gatewayPort":20000}', [{ field: '', message: /plain object/ }]],
      [[{ gatewayPort: 20000 }], [{ field: '', message: /plain object/ }]],
    ];
    for (const [patch, errors] of cases) {
      const result = (await invokeAsPage(INVOKE_CHANNELS.updateSettings, patch)) as {
        ok: boolean;
        errors: Array<{ field: string; message: string }>;
      };
      expect({ patch, ok: result.ok }).toEqual({ patch, ok: false });
      expect(result.errors).toEqual(errors.map((error) => ({ field: error.field, message: expect.stringMatching(error.message) })));
    }
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(await invokeAsPage(INVOKE_CHANNELS.getSettings)).toMatchObject({ gatewayPort: app.port, autoStart: false });
    // A valid UI-only change is stored and needs no restart.
    expect(await invokeAsPage(INVOKE_CHANNELS.updateSettings, { startMinimized: true })).toMatchObject({
      ok: true,
      restartScheduled: false,
      settings: { startMinimized: true },
    });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ startMinimized: true, gatewayPort: app.port });
  });

  it('never lets the token reach the renderer, the logs or the diagnostics — even when the gateway prints it', async () => {
    const printer = path.join(tempDir('pincer-print-'), 'print-token.cjs');
    fs.writeFileSync(
      printer,
      "console.log('stdout token=' + process.env.OPENCLAW_GATEWAY_TOKEN); console.error('stderr token=' + process.env.OPENCLAW_GATEWAY_TOKEN);\n",
    );
    const app = await startApp({ settings: { gatewayEnv: { NODE_OPTIONS: `--require ${printer}` } } });
    await app.waitForState('running');
    const token = fs.readFileSync(path.join(app.dataDir, 'gateway-token'), 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(32);

    // Everything the renderer can get: every invoke's answer, and every push.
    const answers: unknown[] = [];
    for (const channel of Object.values(INVOKE_CHANNELS)) {
      const intents: string[] = [
        INVOKE_CHANNELS.start,
        INVOKE_CHANNELS.stop,
        INVOKE_CHANNELS.restart,
        INVOKE_CHANNELS.fullRestart,
        INVOKE_CHANNELS.installUpdate,
      ];
      if (intents.includes(channel)) continue;
      if (channel === INVOKE_CHANNELS.openControlUi) {
        // The reference gateway has no Control UI: a clear refusal, nothing opened.
        await expect(invokeAsPage(channel)).rejects.toThrow(/reference gateway has none/);
        continue;
      }
      answers.push(await invokeAsPage(channel, ...(channel === INVOKE_CHANNELS.updateSettings ? [{ heartbeatMs: 2_000 }] : [])));
    }
    answers.push(await invokeAsPage(INVOKE_CHANNELS.restart));
    await app.waitForState('running');
    app.host.emit('uncaughtException', new Error(`an error mentioning ${token}`));
    const diagnostics = (answers.find((answer) => (answer as { path?: string })?.path?.includes('diagnostics')) as { path: string }).path;
    await waitFor(
      () =>
        app.window.webContents.sent.some(
          (sent) => sent.channel === PUSH_CHANNELS.log && JSON.stringify(sent.args).includes('stderr token=[redacted]'),
        ),
      {
        what: 'the redacted gateway line pushed to the renderer',
      },
    );
    const mainLog = path.join(app.dataDir, 'logs', 'main.log');
    await waitFor(() => fs.readFileSync(mainLog, 'utf8').includes('an error mentioning [redacted]'), { what: 'the redacted error in main.log' });

    const renderer = JSON.stringify({ answers, sent: app.window.webContents.sent });
    expect(renderer).toContain('stdout token=[redacted]');
    expect(renderer).not.toContain(token);
    const logText = fs.readFileSync(mainLog, 'utf8');
    expect(logText).toContain('[gateway stdout] [gateway] listening'); // gateway output is captured, prefixed
    expect(logText).toContain('token=[redacted]');
    expect(logText).not.toContain(token);
    expect(fs.readFileSync(diagnostics, 'utf8')).not.toContain(token);
    expect(JSON.stringify(dialog.messageBoxes)).not.toContain(token);
    expect(JSON.stringify(dialog.messageBoxes)).toContain('[redacted]');
    expect(JSON.stringify(app.tray.menus.map((menu) => menu.items.map((item) => item.label)))).not.toContain(token);
  });

  it('pushes every status change to the window, and getStatus answers the current one', async () => {
    const app = await startApp({ settings: { autoStart: false } });
    const published: GatewayStatus[] = [];
    app.run.service.supervisor.onStatus((status) => published.push(status));
    await expect(invokeAsPage(INVOKE_CHANNELS.start)).resolves.toMatchObject({ state: 'starting' });
    await app.waitForState('running');
    await waitFor(() => app.window.webContents.sent.filter((sent) => sent.channel === PUSH_CHANNELS.status).length >= published.length, {
      what: 'the pushes',
    });
    const pushed = app.window.webContents.sent.filter((sent) => sent.channel === PUSH_CHANNELS.status).map((sent) => sent.args[0]);
    expect(pushed).toEqual(published);
    expect(pushed.map((status) => (status as GatewayStatus).state)).toContain('starting');
    expect(await invokeAsPage(INVOKE_CHANNELS.getStatus)).toMatchObject({ state: 'running', pid: app.status().pid });
  });
});

describe('preload', () => {
  it('is one CommonJS bundle that requires only electron', () => {
    const bundle = fs.readFileSync(path.join(REPO_ROOT, 'dist/preload.cjs'), 'utf8');
    const required = new Set([...bundle.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1]));
    expect([...required]).toEqual(['electron']);
  });

  it('exposes window.pincer (PincerApi) over IPC; onStatus/onLog unsubscribe really remove the ipcRenderer listeners', async () => {
    const app = await startApp({ settings: { autoStart: false } });
    await import('../../electron/preload');
    const pincer = world.exposed.pincer as PincerApi;
    expect(Object.keys(pincer).sort()).toEqual(
      [
        'getStatus',
        'onStatus',
        'start',
        'stop',
        'restart',
        'fullRestart',
        'openControlUi',
        'getSettings',
        'updateSettings',
        'getTimeline',
        'getLogTail',
        'onLog',
        'openLogs',
        'exportDiagnostics',
        'getUpdate',
        'onUpdate',
        'installUpdate',
      ].sort(),
    );
    expect(Object.keys(world.exposed)).toEqual(['pincer']); // nothing else, no ipcRenderer

    await expect(pincer.getStatus()).resolves.toMatchObject({ state: 'stopped', port: app.port });
    // Not packaged, so no app-update.yml: this build has no feed and never checks.
    await expect(pincer.getUpdate()).resolves.toEqual({ kind: 'off', reason: 'no-feed' });
    await expect(pincer.installUpdate()).rejects.toThrow('no downloaded update');
    await expect(pincer.updateSettings({ gatewayPort: 1 })).resolves.toMatchObject({ ok: false, errors: [{ field: 'gatewayPort' }] });

    const calls: unknown[][] = [];
    const lines: string[] = [];
    const offStatus = pincer.onStatus((...args: unknown[]) => calls.push(args));
    const offLog = pincer.onLog((line) => lines.push(line.text));
    expect(ipcRenderer.listenerCount(PUSH_CHANNELS.status)).toBe(1);
    expect(ipcRenderer.listenerCount(PUSH_CHANNELS.log)).toBe(1);

    await expect(pincer.start()).resolves.toMatchObject({ state: 'starting' });
    await app.waitForState('running');
    await waitFor(() => calls.some(([status]) => (status as GatewayStatus).state === 'running'), { what: 'the running status through onStatus' });
    await waitFor(() => lines.some((line) => line.includes('listening on')), { what: 'gateway lines through onLog' });
    // The callback gets the status alone — never the IPC event object.
    expect(calls.every((args) => args.length === 1 && (args[0] as GatewayStatus).state !== undefined)).toBe(true);

    offStatus();
    offStatus(); // a second call is harmless
    offLog();
    expect(ipcRenderer.listenerCount(PUSH_CHANNELS.status)).toBe(0);
    expect(ipcRenderer.listenerCount(PUSH_CHANNELS.log)).toBe(0);
    const seen = calls.length;
    await expect(pincer.stop()).resolves.toBeDefined();
    await app.waitForState('stopped');
    expect(app.window.webContents.sent.filter((sent) => sent.channel === PUSH_CHANNELS.status).at(-1)!.args[0]).toMatchObject({ state: 'stopped' });
    expect(calls.length).toBe(seen);

    await expect(pincer.getTimeline()).resolves.toEqual(expect.arrayContaining([expect.objectContaining({ state: 'running' })]));
    await expect(pincer.getLogTail()).resolves.toEqual(expect.arrayContaining([expect.objectContaining({ source: 'stdout' })]));
    await expect(pincer.openLogs()).resolves.toEqual({ path: path.join(app.dataDir, 'logs') });
    expect(shell.opened).toEqual([path.join(app.dataDir, 'logs')]);
    const { path: file } = await pincer.exportDiagnostics();
    expect(fs.existsSync(file)).toBe(true);
  });
});
