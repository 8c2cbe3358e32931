// The OS ending the session (shutdown, restart, log-off): Electron skips before-quit there, so the
// app must stop the gateway on powerMonitor 'shutdown' (Linux, macOS) and the window's
// 'session-end' (Windows) — the same graceful, bounded stop as a quit. Plus the Windows app id.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

import { world, REPO_ROOT } from './fake-electron';
import { APP_ID } from '../../electron/app-id';
import { isAlive } from '../../electron/core/process/tree';
import { desktopAppHooks, procTree, startApp } from './app-harness';

desktopAppHooks();

describe('the OS ending the session', () => {
  it('powerMonitor shutdown: asks the OS to wait, stops the gateway and its worker gracefully, exits 0 — without before-quit', async () => {
    const app = await startApp({ settings: { gatewayEnv: { PINCER_REFGW_SPAWN_WORKER: '1' } } });
    const { pid } = await app.waitForState('running');
    const tree = [pid!, ...(await procTree(pid!))];
    let beforeQuit = 0;
    app.app.on('before-quit', () => beforeQuit++);
    expect(world.powerMonitor.emitShutdown()).toBe(true);
    await app.run.finished;
    expect(app.app.exitCode).toBe(0);
    expect(beforeQuit).toBe(0);
    expect(app.status().state).toBe('stopped');
    expect(tree.filter(isAlive)).toEqual([]);
  });

  it("Windows log-off: the window's session-end takes the same stop; a quit arriving meanwhile joins it", async () => {
    const app = await startApp({ platform: 'win32' });
    const { pid } = await app.waitForState('running');
    app.window.emit('session-end', { reasons: ['logoff'], preventDefault() {} });
    app.app.quit(); // joins the stop already under way
    await app.run.finished;
    expect(app.app.exitCode).toBe(0);
    expect(app.app.calls.filter((call) => call.api === 'exit')).toHaveLength(1);
    expect(isAlive(pid!)).toBe(false);
  });
});

describe('Windows app id and tray icon', () => {
  it("is set on Windows to electron-builder.yml's appId, before the app is ready; the tray shows .ico icons", async () => {
    const appId = /^appId:\s*(\S+)$/m.exec(fs.readFileSync(path.join(REPO_ROOT, 'electron-builder.yml'), 'utf8'))?.[1];
    expect(APP_ID).toBe(appId);
    const windows = await startApp({ platform: 'win32', settings: { autoStart: false } });
    expect(windows.app.calls.find((call) => call.api === 'setAppUserModelId')?.args).toEqual([APP_ID, 'before ready']);
    // The tray takes the platform's icon: a Windows .ico per state.
    expect(windows.tray.image).toBe(path.join(REPO_ROOT, 'resources/icons/tray/win/tray-stopped.ico'));
    await windows.quit();
    const linux = await startApp({ settings: { autoStart: false } });
    expect(linux.app.calls.some((call) => call.api === 'setAppUserModelId')).toBe(false);
  });
});
