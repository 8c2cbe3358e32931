// `npm run serve`: the supervisor core on plain Node, with the dashboard and API on loopback.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import log from 'electron-log/node';
import pkg from '../../package.json';
import { installCrashGuard } from '../core/crash-guard';
import { createChildProcessLauncher } from '../core/launcher/child-process';
import { gatewayCacheDir, logsDir, resolveDataDir } from '../core/paths';
import { PincerService } from '../core/service';
import type { Settings } from '../core/settings/schema';
import { createApiServer } from './server';

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
  process.exit(2);
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
  if (!Number.isInteger(apiPort) || apiPort < 0 || apiPort > 65535) fail(`--api-port must be a port number, got "${flags['api-port']}"`);

  const dataDir = flags['data-dir']
    ? { dir: path.resolve(flags['data-dir']), portable: false }
    : resolveDataDir({ platform: process.platform, env: process.env, exePath: process.execPath, homeDir: os.homedir(), exists: fs.existsSync });
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

  const apiToken = process.env.PINCER_API_TOKEN || crypto.randomBytes(24).toString('base64url');
  const server = createApiServer({
    service,
    apiToken,
    staticDir: path.join(here, 'renderer'),
    logsDir: logsDir(dataDir.dir),
    logError: (message) => log.error(message),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(apiPort, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
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
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping the gateway`);
    server.close();
    server.closeAllConnections();
    service
      .shutdown()
      .then(() => process.exit(0))
      .catch((error: Error) => {
        log.error(`shutdown failed: ${error.message}`);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  if (service.getSettings().autoStart) void service.supervisor.start();
}

main().catch((error: Error) => {
  process.stderr.write(`pincer: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
