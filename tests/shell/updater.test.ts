// Updates end to end as far as the fake Electron allows: the real electron-updater (generic
// provider, its own YAML parsing, version comparison, download and sha512 check) against a real
// feed served on loopback, driving the real update service. Only the OS installer is out of
// reach: quitAndInstall is recorded, not run.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

import { FakeTray, resetElectron } from './fake-electron';
import { createTray } from '../../electron/tray';
import { createTranslator } from '../../electron/core/i18n';
import { status as fullStatus } from '../dashboard/fixtures';
import { updateNotice, updateTrayItem, type UpdateView } from '../../electron/core/update-model';
import { createUpdateService, type UpdateService, type UpdaterLike } from '../../electron/updater';
import { waitFor } from '../helpers/wait';

const INSTALLER = Buffer.from('not really an installer, but its hash is checked\n'.repeat(2000));
const sha512 = (data: Buffer) => crypto.createHash('sha512').update(data).digest('base64');

/** What the feed answers for latest-linux.yml (electron-updater asks for it on Linux). */
let channelFile: { status: number; body: string } = { status: 404, body: '' };
const requests: string[] = [];
let server: http.Server;
let feedUrl: string;
let tempDir: string;
const services: UpdateService[] = [];

const latestYml = (version: string, hash = sha512(INSTALLER)) =>
  [
    `version: ${version}`,
    'files:',
    `  - url: Pincer-${version}-setup.exe`,
    `    sha512: ${hash}`,
    `    size: ${INSTALLER.length}`,
    `path: Pincer-${version}-setup.exe`,
    `sha512: ${hash}`,
    "releaseDate: '2026-12-01T00:00:00.000Z'",
    '',
  ].join('\n');

beforeAll(async () => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-updater-'));
  server = http.createServer((request, response) => {
    requests.push(request.url!);
    if (request.url!.startsWith('/feed/latest-linux.yml')) {
      response.writeHead(channelFile.status, { 'content-type': 'text/yaml' }).end(channelFile.body);
    } else if (/^\/feed\/Pincer-[\d.]+-setup\.exe/.test(request.url!)) {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': INSTALLER.length }).end(INSTALLER);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed/`;
});

afterEach(() => {
  for (const service of services.splice(0)) service.dispose();
  requests.length = 0;
  vi.unstubAllEnvs();
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(tempDir, { recursive: true, force: true });
});

/** A real electron-updater for the app version 0.1.0 (the fake app's), reading our loopback feed. */
async function realUpdater(): Promise<UpdaterLike & { quitAndInstallCalls: unknown[][] }> {
  resetElectron();
  // Its download cache goes under XDG_CACHE_HOME/<updaterCacheDirName>: keep it in the test's dir.
  vi.stubEnv('XDG_CACHE_HOME', fs.mkdtempSync(path.join(tempDir, 'cache-')));
  const configFile = path.join(tempDir, 'app-update.yml');
  fs.writeFileSync(configFile, `provider: generic\nurl: ${feedUrl}\nupdaterCacheDirName: pincer-updater-test\n`);
  const { NsisUpdater } = await import('electron-updater');
  const updater = new NsisUpdater({ provider: 'generic', url: feedUrl });
  // Not packaged (the fake app): electron-updater only checks when told the config is meant.
  updater.forceDevUpdateConfig = true;
  updater.updateConfigPath = configFile;
  updater.logger = null;
  const quitAndInstallCalls: unknown[][] = [];
  // The installer itself is the OS's business: record the hand-over instead.
  updater.quitAndInstall = (...args: unknown[]) => void quitAndInstallCalls.push(args);
  return Object.assign(updater as unknown as UpdaterLike, { quitAndInstallCalls });
}

function service(updater: UpdaterLike | undefined, over: { checkEnabled?: () => boolean; stopGateway?: () => Promise<void> } = {}): UpdateService {
  const created = createUpdateService({
    updater,
    checkEnabled: over.checkEnabled ?? (() => true),
    // Checks only when the test asks.
    firstCheckAfterMs: 3_600_000,
    intervalMs: 3_600_000,
    stopGateway: over.stopGateway ?? (async () => undefined),
    log: () => undefined,
  });
  services.push(created);
  return created;
}

const seen = (updates: UpdateService) => {
  const views: UpdateView['kind'][] = [];
  updates.onChange((view) => views.push(view.kind));
  return views;
};

describe('updates against a loopback feed (real electron-updater)', () => {
  it('a newer version: downloads it, checks its sha512, then offers "Restart to Update"; install stops the gateway first', async () => {
    channelFile = { status: 200, body: latestYml('9.9.9') };
    const updater = await realUpdater();
    const order: string[] = [];
    const updates = service(updater, { stopGateway: async () => void order.push('gateway stopped') });
    const views = seen(updates);
    await updates.check();
    const ready = await waitFor(() => (updates.view().kind === 'ready' ? updates.view() : undefined), {
      what: 'the update to download',
      timeoutMs: 30_000,
    });
    expect(ready).toEqual({ kind: 'ready', version: '9.9.9' });
    expect(views).toEqual(expect.arrayContaining(['checking', 'downloading', 'ready']));
    expect(requests.some((url) => url.startsWith('/feed/Pincer-9.9.9-setup.exe'))).toBe(true);
    expect(updateTrayItem(ready)).toEqual({ label: 'Restart to Update (9.9.9)', enabled: true });
    expect(updateNotice(ready)).toMatchObject({ text: 'Pincer 9.9.9 is ready to install.', canInstall: true });

    updater.quitAndInstall = (
      (original) =>
      (...args: unknown[]) => {
        order.push('quitAndInstall');
        original(...(args as []));
      }
    )(updater.quitAndInstall.bind(updater));

    // The real tray (fake Electron Menu): the entry appears, and a click installs.
    const failures: unknown[] = [];
    const tray = createTray({
      iconsDir: '/icons',
      platform: 'linux',
      status: () => fullStatus({ state: 'running', port: 18790, at: 0 }),
      onStatus: () => () => undefined,
      updateItem: () => updateTrayItem(updates.view()),
      onUpdate: (listener) => updates.onChange(listener),
      actions: {
        'open-dashboard': () => undefined,
        'open-control-ui': () => undefined,
        start: () => undefined,
        stop: () => undefined,
        restart: () => undefined,
        'open-logs': () => undefined,
        'export-diagnostics': () => undefined,
        'install-update': () => updates.install(),
        quit: () => undefined,
      },
      onActionError: (_action, error) => failures.push(error),
      context: () => ({ t: createTranslator('en') }),
      onToggle: () => undefined,
    });
    const fakeTray = FakeTray.instances.at(-1)!;
    fakeTray.menu.item('Restart to Update (9.9.9)').click!();
    await waitFor(() => updater.quitAndInstallCalls.length > 0, { what: 'the hand-over to the installer' });
    expect(updates.view()).toEqual({ kind: 'installing', version: '9.9.9' });
    expect(fakeTray.menu.item('Installing Update 9.9.9…').enabled).toBe(false);
    expect(order).toEqual(['gateway stopped', 'quitAndInstall']);
    expect(updater.quitAndInstallCalls).toEqual([[true, true]]);
    expect(failures).toEqual([]);
    tray.destroy();
  });

  it.each<[string, { status: number; body: string }, UpdateView]>([
    ['the same version', { status: 200, body: latestYml('0.1.0') }, { kind: 'idle' }],
    ['an older version', { status: 200, body: latestYml('0.0.9') }, { kind: 'idle' }],
    ['no channel file (404)', { status: 404, body: '' }, { kind: 'error', message: expect.stringContaining('404') as unknown as string }],
    ['a channel file without a version', { status: 200, body: 'files: []\n' }, { kind: 'error', message: expect.any(String) as unknown as string }],
  ])('%s → %j', async (_name, answer, expected) => {
    channelFile = answer;
    const updates = service(await realUpdater());
    await updates.check();
    const settled = await waitFor(() => (['idle', 'error'].includes(updates.view().kind) && requests.length > 0 ? updates.view() : undefined), {
      what: 'the check to settle',
    });
    expect(settled).toEqual(expected);
    expect(updateTrayItem(settled)).toBeUndefined();
    expect(requests.filter((url) => url.includes('.exe'))).toEqual([]);
  });

  it('a download whose sha512 does not match is an error, never "ready"', async () => {
    channelFile = { status: 200, body: latestYml('9.9.9', sha512(Buffer.from('something else'))) };
    const updates = service(await realUpdater());
    await updates.check();
    const settled = await waitFor(() => (updates.view().kind === 'error' ? updates.view() : undefined), {
      what: 'the download to fail',
      timeoutMs: 30_000,
    });
    expect(settled).toMatchObject({ kind: 'error', message: expect.stringMatching(/sha512/i) });
  });

  it('"Check for updates" off: no request reaches the feed; no feed in the build: nothing is checked at all', async () => {
    channelFile = { status: 200, body: latestYml('9.9.9') };
    const off = service(await realUpdater(), { checkEnabled: () => false });
    await off.check();
    expect(off.view()).toEqual({ kind: 'off', reason: 'setting' });
    const noFeed = service(undefined);
    await noFeed.check();
    expect(noFeed.view()).toEqual({ kind: 'off', reason: 'no-feed' });
    await expect(noFeed.install()).rejects.toThrow('no downloaded update');
    expect(requests).toEqual([]);
  });
});
