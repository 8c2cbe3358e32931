// `npm run serve`: the supervisor core on plain Node, with the dashboard and API on loopback.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import log from 'electron-log/node';
import pkg from '../../package.json';
import { createApiTable, NO_UPDATES } from '../core/api-table';
import { installCrashGuard } from '../core/crash-guard';
import { EXIT } from '../core/instance-commands';
import { acquireInstanceLock, InstanceLockedError, type InstanceLock } from '../core/instance-lock';
import { createChildProcessLauncher } from '../core/launcher/child-process';
import { gatewayCacheDir, logsDir, resolveDataDir } from '../core/paths';
import { isTcpPort } from '../core/port/probe';
import { PincerService } from '../core/service';
import type { Settings } from '../core/settings/schema';
import { serveInstanceApi } from './instance-api';

const USAGE = `Usage: npm run serve -- [options]
  --gateway-port N   port clients use for the gateway (saved to settings; default 18789)
  --api-port N       dashboard/API port on 127.0.0.1 (0 = any free port; default 0)
  --data-dir DIR     where settings, logs and identity live (default: Pincer's user data dir)
  --gateway KIND     reference | openclaw (saved to settings; default: OpenClaw if installed)
  --openclaw PATH    an OpenClaw install dir (saved to settings)
  --node PATH        the Node runtime for the gateway (saved to settings)
The API token is taken from PINCER_API_TOKEN, or made up for this run and printed.`;

function fail(message: string): never {
  process.stderr.write(`pincer: ${message}\n\n${USAGE}\n`);
  process.exit(EXIT.usage);
}

function parseCli(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        'gateway-port': { type: 'string' },
        'api-port': { type: 'string', default: '0' },
        'data-dir': { type: 'string' },
        gateway: { type: 'string' },
        openclaw: { type: 'string' },
        node: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    fail((error as Error).message);
  }
}

function settingsFromFlags(flags: ReturnType<typeof parseCli>): Partial<Settings> {
  const patch: Partial<Settings> = {};
  if (flags['gateway-port'] !== undefined) patch.gatewayPort = Number(flags['gateway-port']);
  if (flags.gateway !== undefined) patch.gatewayKind = flags.gateway as Settings['gatewayKind'];
  if (flags.openclaw !== undefined) patch.openclawPath = path.resolve(flags.openclaw);
  if (flags.node !== undefined) patch.nodePath = path.resolve(flags.node);
  return patch;
}

async function main(): Promise<void> {
  // A closed console (the terminal went away, output piped into `head`) must not kill the
  // supervisor: the gateway would live on unsupervised. Likewise any stray error: log it, go on.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
  installCrashGuard(process, (crash) => log.error(`${crash.kind}: ${crash.detail}`));
  const flags = parseCli(process.argv.slice(2));
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const apiPort = Number(flags['api-port']);
  if (apiPort !== 0 && !isTcpPort(apiPort)) fail(`--api-port must be a port number, got "${flags['api-port']}"`);

  const dataDir = flags['data-dir']
    ? { dir: path.resolve(flags['data-dir']), portable: false }
    : resolveDataDir({ platform: process.platform, env: process.env, exePath: process.execPath, homeDir: os.homedir(), exists: fs.existsSync });
  // Before anything touches the data dir: one supervisor per data dir.
  let lock: InstanceLock;
  try {
    lock = await acquireInstanceLock(dataDir.dir, { kind: 'headless', version: pkg.version });
  } catch (error) {
    if (!(error instanceof InstanceLockedError)) throw error;
    process.stderr.write(`pincer: ${error.message}; this one exits and changes nothing.\n`);
    process.exit(EXIT.dataDirInUse);
  }
  process.on('exit', () => lock.release());
  const here = __dirname; // dist/, where the build puts this bundle beside the gateway and renderer
  const service = new PincerService({
    dataDir: dataDir.dir,
    portable: dataDir.portable,
    launcher: createChildProcessLauncher(),
    locations: {
      cacheDir: gatewayCacheDir(process.env, os.homedir()),
      referenceEntry: path.join(here, 'gateway', 'reference-gateway.cjs'),
      referenceVersion: pkg.version,
    },
    clientVersion: pkg.version,
    logger: log,
  });
  if (service.settingsProblem) process.stderr.write(`pincer: ${service.settingsProblem}\n`);

  const patch = settingsFromFlags(flags);
  if (Object.keys(patch).length > 0) {
    const result = service.updateSettings(patch);
    if (!result.ok) {
      await service.shutdown();
      fail(result.errors.map((e) => `${e.field} ${e.message}`).join('\n'));
    }
  }

  const api = await serveInstanceApi({
    lock,
    port: apiPort,
    apiToken: process.env.PINCER_API_TOKEN,
    service,
    api: createApiTable({
      service,
      updates: NO_UPDATES,
      openLogs: async () => ({ path: logsDir(dataDir.dir) }),
      // The dashboard page, in the user's browser, opens it.
      openControlUi: async (url) => ({ url }),
      log: (level, message) => log[level](message),
    }),
    staticDir: path.join(here, 'renderer'),
    controls: { open: () => ({ shown: false, url: `http://127.0.0.1:${api.port}/` }), quit: () => shutdown('quit (API)') },
    logError: (message) => log.error(message),
  });
  const { port, token: apiToken } = api;
  process.stdout.write(
    [
      `Pincer ${pkg.version} (headless) — data dir ${dataDir.dir}`,
      `Dashboard: http://127.0.0.1:${port}/#token=${apiToken}`,
      `API: http://127.0.0.1:${port}/api (Authorization: Bearer <token>)`,
      `API token: ${process.env.PINCER_API_TOKEN ? '(from PINCER_API_TOKEN)' : apiToken}`,
      '',
    ].join('\n'),
  );

  let stopping = false;
  // Hoisted: the API's quit control calls it, and it closes that API's server.
  function shutdown(reason: string) {
    if (stopping) return;
    stopping = true;
    log.info(`${reason}: stopping the gateway`);
    api.stopListening();
    service
      .shutdown()
      .then(() => {
        api.closeAll();
        process.exit(0);
      })
      .catch((error: Error) => {
        log.error(`shutdown failed: ${error.message}`);
        process.exit(1);
      });
  }
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  if (service.getSettings().autoStart) void service.supervisor.start();
}

main().catch((error: Error) => {
  process.stderr.write(`pincer: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
