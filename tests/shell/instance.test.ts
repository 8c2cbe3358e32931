// The desktop app as one of "one data dir, one supervisor": it takes the data dir lock beside
// Electron's single-instance lock, serves the API for the pincer CLI, obeys a second launch's
// command (`Pincer --quit`: graceful, no orphan), and stands back when the headless twin holds
// the data dir. Real core, real gateway, real CLI process; fake Electron only.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

import { dialog, FakeApp, ipcMain, REPO_ROOT, resetElectron, utilityProcess, world } from './fake-electron';
import { INVOKE_CHANNELS } from '../../electron/ipc-channels';
import { isAlive } from '../../electron/core/process/tree';
import { runApp } from '../../electron/run-app';
import { freePort } from '../helpers/ports';
import { startTwin } from '../helpers/twin';
import { waitFor } from '../helpers/wait';
import { desktopAppHooks, fakeHost, procTree, startApp, tempDir, writeSettings } from './app-harness';

desktopAppHooks();

function pincer(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(REPO_ROOT, 'dist/pincer.cjs'), ...args], { timeout: 150_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('desktop app: one data dir, one supervisor', () => {
  it('holds the data dir lock and serves the API: the pincer CLI sees it and can open its window', async () => {
    const app = await startApp();
    const { pid } = await app.waitForState('running');
    const lock = JSON.parse(fs.readFileSync(path.join(app.dataDir, 'pincer.lock'), 'utf8'));
    expect(lock).toMatchObject({ pid: process.pid, kind: 'desktop', api: { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api$/) } });

    const status = await pincer('status', '--json', '--data-dir', app.dataDir);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ instance: { kind: 'desktop', pid: process.pid }, status: { state: 'running', pid } });

    app.window.close(); // hides to the tray
    expect(app.window.visible).toBe(false);
    const open = await pincer('open', '--data-dir', app.dataDir);
    expect(open).toMatchObject({ code: 0, stdout: 'The dashboard window is shown.\n' });
    expect(app.window.visible).toBe(true);
  });

  it('IPC and the HTTP API are one table: the same call gets the same answer, a bad payload the same refusal', async () => {
    const app = await startApp();
    await app.waitForState('running');
    const { api } = JSON.parse(fs.readFileSync(path.join(app.dataDir, 'pincer.lock'), 'utf8')) as { api: { url: string; token: string } };
    const overHttp = async (method: string, route: string, body?: unknown) => {
      const reply = await fetch(`${api.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: reply.status, body: (await reply.json()) as unknown };
    };
    const webContents = world.ipcRendererAttachedTo!;
    const overIpc = (channel: string, ...args: unknown[]) =>
      ipcMain.invoke(channel, { sender: webContents, senderFrame: webContents.mainFrame }, ...args);

    const notAnObject = await overHttp('PUT', '/settings', ['gatewayPort', 1]);
    expect(notAnObject).toEqual({
      status: 400,
      body: { ok: false, errors: [{ field: '', message: 'the settings patch must be a plain object of setting: value' }] },
    });
    expect(await overIpc(INVOKE_CHANNELS.updateSettings, ['gatewayPort', 1])).toEqual(notAnObject.body);
    const badField = await overHttp('PUT', '/settings', { gatewayPort: 80 });
    expect(badField.status).toBe(400);
    expect(await overIpc(INVOKE_CHANNELS.updateSettings, { gatewayPort: 80 })).toEqual(badField.body);
    expect((await overHttp('GET', '/settings')).body).toEqual(await overIpc(INVOKE_CHANNELS.getSettings));
    await expect(overIpc(INVOKE_CHANNELS.getTimeline, 'extra')).rejects.toThrow('getTimeline takes no arguments');
  });

  it('a second launch with --quit: the first stops its gateway gracefully and exits 0, leaving no process and no lock', async () => {
    const first = await startApp();
    const { pid } = await first.waitForState('running');
    const tree = [pid!, ...(await procTree(pid!))];

    const second = new FakeApp({ exePath: first.app.getPath('exe'), argv: ['pincer', '--quit'] });
    world.app = second;
    try {
      const run = await runApp(fakeHost({ ...first.host.env }, ['pincer', '--quit']));
      expect(run.role).toBe('secondary');
    } finally {
      world.app = first.app;
    }
    await first.run.finished;
    expect(first.app.exitCode).toBe(0);
    for (const member of tree) expect(isAlive(member)).toBe(false);
    expect(fs.readFileSync(path.join(first.dataDir, 'logs', 'main.log'), 'utf8')).toContain('quitting: stopping the gateway first');
    expect(fs.existsSync(path.join(first.dataDir, 'pincer.lock'))).toBe(false);
  });

  it('a second launch with --stop stops the gateway and keeps the app', async () => {
    const first = await startApp();
    await first.waitForState('running');
    const second = new FakeApp({ exePath: first.app.getPath('exe'), argv: ['pincer', '--stop'] });
    world.app = second;
    try {
      expect((await runApp(fakeHost({ ...first.host.env }, ['pincer', '--stop']))).role).toBe('secondary');
    } finally {
      world.app = first.app;
    }
    await first.waitForState('stopped');
    expect(first.app.exitCode).toBeUndefined();
  });

  it('pincer quit against the desktop app: graceful quit through the quit flow', async () => {
    const app = await startApp();
    const { pid } = await app.waitForState('running');
    const quit = await pincer('quit', '--data-dir', app.dataDir);
    expect(quit).toMatchObject({ code: 0, stdout: `Pincer (pid ${process.pid}) stopped its gateway and quit.\n` });
    await app.run.finished;
    expect(app.app.exitCode).toBe(0);
    expect(isAlive(pid!)).toBe(false);
  });

  it('`Pincer --quit` with no Pincer running starts nothing and exits 4', async () => {
    const dataDir = tempDir('pincer-app-');
    resetElectron({ homePath: tempDir('pincer-home-'), argv: ['pincer', '--quit'] });
    const run = await runApp(fakeHost({ ...process.env, PINCER_DATA_DIR: dataDir }, ['pincer', '--quit']));
    expect(run).toMatchObject({ role: 'declined', reason: 'no Pincer is running' });
    expect(world.app.exitCode).toBe(4);
    expect(utilityProcess.forks).toHaveLength(0);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('the headless twin holds the data dir: the desktop app names it, exits 3 and leaves its gateway alone', async () => {
    const dataDir = tempDir('pincer-app-');
    const gatewayPort = await freePort();
    writeSettings(dataDir, { gatewayPort, gatewayKind: 'reference' });
    const twin = await startTwin({ gatewayPort, dataDir });
    try {
      const running = await waitFor(
        async () => {
          const status = await twin.status();
          return status.state === 'running' ? status : undefined;
        },
        { what: 'the twin gateway running' },
      );
      resetElectron({ homePath: tempDir('pincer-home-') });
      const run = await runApp(fakeHost({ ...process.env, PINCER_DATA_DIR: dataDir }));
      expect(run.role).toBe('declined');
      expect(world.app.exitCode).toBe(3);
      expect(dialog.errorBoxes).toEqual([
        {
          title: 'Pincer is already running',
          content: expect.stringContaining(`another Pincer (headless, pid ${twin.pid}, API http://127.0.0.1:${twin.apiPort}/api)`),
        },
      ]);
      expect(utilityProcess.forks).toHaveLength(0);
      expect(await twin.status()).toMatchObject({ state: 'running', pid: running.pid });
    } finally {
      await twin.stop();
    }
  });
});
