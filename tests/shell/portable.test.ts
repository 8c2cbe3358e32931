// Portable data: every trigger resolves the data dir, and it reaches app.setPath('userData') (and
// the logs path) BEFORE requestSingleInstanceLock — the lock is scoped to userData, so a portable
// copy must not collide with an installed one. Then one real portable run: everything lands
// beside the executable, nothing in the user's home.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

import { FakeApp, resetElectron, utilityProcess, world } from './fake-electron';
import { logsDir } from '../../electron/core/paths';
import { runApp } from '../../electron/run-app';
import { freePort } from '../helpers/ports';
import { waitFor } from '../helpers/wait';
import { desktopAppHooks, fakeHost, tempDir, writeSettings } from './app-harness';
import { isAlive } from '../../electron/core/process/tree';

desktopAppHooks();

/** process.env without anything that would pick a data dir by itself. */
function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['PINCER_DATA_DIR', 'PORTABLE_EXECUTABLE_DIR', 'APPIMAGE', 'XDG_CONFIG_HOME']) delete env[name];
  return { ...env, XDG_CACHE_HOME: tempDir('pincer-cache-'), ...extra };
}

interface Trigger {
  exePath: string;
  env: NodeJS.ProcessEnv;
  expected: string;
}

const TRIGGERS: Record<string, () => Trigger> = {
  'PINCER_DATA_DIR override': () => {
    const dir = path.join(tempDir('pincer-override-'), 'data-here');
    return { exePath: '/opt/Pincer/pincer', env: { PINCER_DATA_DIR: dir }, expected: dir };
  },
  'Windows portable exe (PORTABLE_EXECUTABLE_DIR)': () => ({
    exePath: 'C:\\Users\\ann\\AppData\\Local\\Temp\\2abc\\Pincer.exe',
    env: { PORTABLE_EXECUTABLE_DIR: 'E:\\PortableApps\\Pincer' },
    expected: 'E:\\PortableApps\\Pincer\\data',
  }),
  'portable marker beside the executable': () => {
    const folder = tempDir('pincer-stick-');
    fs.writeFileSync(path.join(folder, 'portable'), '');
    return { exePath: path.join(folder, 'pincer'), env: {}, expected: path.join(folder, 'data') };
  },
  'data folder beside the executable': () => {
    const folder = tempDir('pincer-stick-');
    fs.mkdirSync(path.join(folder, 'data'));
    return { exePath: path.join(folder, 'pincer'), env: {}, expected: path.join(folder, 'data') };
  },
  'marker beside the AppImage (not beside the mounted executable)': () => {
    const folder = tempDir('pincer-stick-');
    fs.writeFileSync(path.join(folder, 'portable'), '');
    return {
      exePath: path.join(tempDir('pincer-mount-'), 'pincer'),
      env: { APPIMAGE: path.join(folder, 'Pincer.AppImage') },
      expected: path.join(folder, 'data'),
    };
  },
  'no trigger: the user data dir': () => {
    const config = tempDir('pincer-xdg-');
    return { exePath: '/opt/Pincer/pincer', env: { XDG_CONFIG_HOME: config }, expected: path.join(config, 'Pincer') };
  },
};

describe('data dir resolution at launch', () => {
  it.each(Object.keys(TRIGGERS))('%s: userData and logs path are set before the single-instance lock', async (name) => {
    const trigger = TRIGGERS[name]!();
    // Another instance already holds the lock for exactly the expected dir: only a launch that
    // set userData to it before asking for the lock collides with it (and then stops right there).
    const holder = resetElectron();
    holder.setPath('userData', trigger.expected);
    expect(holder.requestSingleInstanceLock()).toBe(true);
    const secondInstance = new Promise((resolve) => holder.once('second-instance', resolve));

    const home = tempDir('pincer-home-');
    const launched = new FakeApp({ exePath: trigger.exePath, homePath: home, deferReady: true });
    world.app = launched;
    const run = await runApp(fakeHost(cleanEnv(trigger.env)));
    world.app = holder;

    expect(run).toMatchObject({ role: 'secondary', dataDir: { dir: trigger.expected } });
    expect(launched.calls).toEqual([
      { api: 'setPath', args: ['userData', trigger.expected] },
      { api: 'setAppLogsPath', args: [logsDir(trigger.expected)] },
      { api: 'requestSingleInstanceLock', args: [trigger.expected] },
      { api: 'quit', args: [] },
    ]);
    await secondInstance;
    expect(fs.readdirSync(home)).toEqual([]); // the second instance wrote nothing
  });

  it('a portable run keeps settings, token, identity and logs beside the executable and writes nothing in the home dir', async () => {
    const stick = tempDir('pincer-stick-');
    fs.writeFileSync(path.join(stick, 'portable'), '');
    const dataDir = path.join(stick, 'data');
    const port = await freePort();
    writeSettings(dataDir, { gatewayPort: port, gatewayKind: 'reference', heartbeatMs: 1_000 });
    const home = tempDir('pincer-home-');
    const config = tempDir('pincer-xdg-');
    const app = resetElectron({ exePath: path.join(stick, 'pincer'), homePath: home });
    const run = await runApp(fakeHost(cleanEnv({ XDG_CONFIG_HOME: config })));
    if (run.role !== 'primary') throw new Error(`expected the primary instance, got ${run.role}`);
    expect(run.dataDir).toEqual({ dir: dataDir, portable: true, reason: 'portable-marker' });
    const { pid } = await waitFor(() => (run.service.supervisor.status().state === 'running' ? run.service.supervisor.status() : undefined), {
      what: 'the gateway running',
      timeoutMs: 30_000,
    });
    // OpenClaw's state goes into the data dir too in portable mode.
    expect(utilityProcess.forks[0]!.options.env).toMatchObject({ OPENCLAW_STATE_DIR: path.join(dataDir, 'openclaw') });
    await waitFor(() => fs.existsSync(path.join(dataDir, 'logs', 'main.log')), { what: 'main.log in the portable data dir' });

    app.quit();
    await run.finished;
    expect(app.exitCode).toBe(0);
    expect(isAlive(pid!)).toBe(false);
    expect(fs.readdirSync(dataDir)).toEqual(expect.arrayContaining(['settings.json', 'gateway-token', 'logs']));
    expect(fs.statSync(path.join(dataDir, 'gateway-token')).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(home)).toEqual([]);
    expect(fs.readdirSync(config)).toEqual([]);
  });
});
