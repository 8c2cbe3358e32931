// Portable builds live on a USB stick: Pincer must write nothing outside its data dir. The whole
// supervisor (PincerService, as the shell and the headless twin run it) goes start → running →
// restart → export diagnostics → stop against the real reference gateway, with HOME, TMPDIR, the
// XDG dirs and the working directory pointed at fresh folders that are snapshotted before and
// after. Only the data dir may change — neither Pincer nor the gateway it runs may write elsewhere.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import log from 'electron-log/node';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createChildProcessLauncher } from '../../electron/core/launcher/child-process';
import { gatewayCacheDir, logsDir, PORTABLE_MARKER, resolveDataDir, type DataDir } from '../../electron/core/paths';
import { PincerService } from '../../electron/core/service';
import { freePort } from '../helpers/ports';
import { buildReferenceGateway } from '../helpers/reference-gateway';
import { waitFor } from '../helpers/wait';

const WATCHED_ENV = ['HOME', 'TMPDIR', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_RUNTIME_DIR'] as const;

/** Every file and folder under `dir`: path → what would change if something wrote there. */
function snapshot(dir: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, name);
    const stat = fs.lstatSync(file, { throwIfNoEntry: false });
    if (stat) entries.set(file, stat.isDirectory() ? 'dir' : `${stat.size}:${stat.mtimeMs}`);
  }
  return entries;
}

function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed = [...after].filter(([file, state]) => before.get(file) !== state).map(([file]) => file);
  const removed = [...before.keys()].filter((file) => !after.has(file));
  return [...changed, ...removed];
}

const isInside = (file: string, dir: string) => file === dir || file.startsWith(`${dir}${path.sep}`);

interface Sandbox {
  root: string;
  /** The folders a stray write would land in: the env dirs, the cwd and the stick. */
  watched: string[];
  stick: string;
}

let sandbox: Sandbox;
let savedEnv: Partial<Record<(typeof WATCHED_ENV)[number], string>>;
let savedCwd: string;
let service: PincerService | undefined;
let referenceEntry: string;

// Built before the sandbox exists: building is not what this test watches.
beforeAll(async () => {
  referenceEntry = await buildReferenceGateway();
});

beforeEach(() => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-isolation-'));
  const watched: string[] = [];
  savedEnv = {};
  savedCwd = process.cwd();
  // This process runs the service: its own lookups (os.homedir(), os.tmpdir(), XDG) must land in
  // the sandbox too, so the real environment is changed (and restored), not a copy of it.
  for (const name of WATCHED_ENV) {
    const dir = path.join(root, name.toLowerCase());
    fs.mkdirSync(dir, { mode: 0o700 });
    savedEnv[name] = process.env[name];
    process.env[name] = dir;
    watched.push(dir);
  }
  const cwd = path.join(root, 'cwd');
  const stick = path.join(root, 'stick');
  fs.mkdirSync(cwd);
  fs.mkdirSync(stick);
  watched.push(cwd, stick);
  process.chdir(cwd);
  sandbox = { root, watched, stick };
});

afterEach(async () => {
  await service?.shutdown();
  service = undefined;
  for (const name of WATCHED_ENV) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
  process.chdir(savedCwd);
  fs.rmSync(sandbox.root, { recursive: true, force: true });
});

async function runFullCycle(dataDir: DataDir): Promise<void> {
  expect(isInside(os.homedir(), sandbox.root) && isInside(os.tmpdir(), sandbox.root)).toBe(true);
  const logger = log.create({ logId: `isolation-${path.basename(sandbox.root)}-${dataDir.reason}` });
  logger.transports.console.level = false;
  // electron-log names the app from the nearest package.json; this test's cwd (the sandbox) has
  // none, and without a name it drops every file write. The shell gets the name from Electron.
  logger.transports.file.setAppName('Pincer');
  service = new PincerService({
    dataDir: dataDir.dir,
    portable: dataDir.portable,
    launcher: createChildProcessLauncher(),
    locations: { cacheDir: gatewayCacheDir(process.env, os.homedir()), referenceEntry, referenceVersion: '0.0.0-test' },
    clientVersion: '0.0.0-test',
    logger,
    baseEnv: process.env,
    socketSampleMs: 60_000,
  });
  expect(service.updateSettings({ gatewayPort: await freePort(), gatewayKind: 'reference' }).ok).toBe(true);
  const supervisor = service.supervisor;
  const running = () => waitFor(() => supervisor.status().state === 'running', { timeoutMs: 45_000, what: 'running' });

  await supervisor.start();
  await running();
  const firstPid = supervisor.gatewayPid();
  await supervisor.restart();
  await running();
  expect(supervisor.gatewayPid()).not.toBe(firstPid);
  const diagnostics = await service.exportDiagnostics();
  expect(isInside(diagnostics.path, dataDir.dir)).toBe(true);
  await service.shutdown();
  service = undefined;
  expect(supervisor.status().state).toBe('stopped');
}

describe('the supervisor writes only into its data dir', () => {
  it.each([
    {
      mode: 'installed (user data dir)',
      dataDir: () =>
        resolveDataDir({ platform: 'linux', env: process.env, exePath: '/opt/Pincer/pincer', homeDir: os.homedir(), exists: fs.existsSync }),
    },
    {
      mode: 'portable (marker beside the executable)',
      dataDir: () => {
        fs.writeFileSync(path.join(sandbox.stick, PORTABLE_MARKER), '');
        return resolveDataDir({
          platform: 'linux',
          env: process.env,
          exePath: path.join(sandbox.stick, 'pincer'),
          homeDir: os.homedir(),
          exists: fs.existsSync,
        });
      },
    },
  ])('$mode: start → running → restart → diagnostics → stop', async ({ dataDir: resolve }) => {
    const dataDir = resolve();
    const before = new Map(sandbox.watched.flatMap((dir) => [...snapshot(dir)]));

    await runFullCycle(dataDir);

    const after = new Map(sandbox.watched.flatMap((dir) => [...snapshot(dir)]));
    const outside = changes(before, after).filter((file) => !isInside(file, dataDir.dir));
    expect(outside).toEqual([]);
    // And the data dir really is where everything went (the check above is not vacuous).
    for (const file of [
      'settings.json',
      'gateway-token',
      'device-identity.json',
      path.join(path.basename(logsDir(dataDir.dir)), 'main.log'),
      'diagnostics',
    ]) {
      expect(fs.existsSync(path.join(dataDir.dir, file)), file).toBe(true);
    }
    expect(sandbox.watched.some((dir) => isInside(dataDir.dir, dir))).toBe(true);
  });
});
