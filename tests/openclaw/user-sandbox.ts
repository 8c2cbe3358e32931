// A user's own OpenClaw, as a real user has it: `openclaw` installed globally with npm (a Node 24
// first on PATH, npm's prefix set in ~/.npmrc), then onboarded with its own token and port, in a
// private HOME. The global install is cached per version under ~/.cache/pincer/user-install (outside
// the repo, created by the first run on a fresh machine); HOME and the config are fresh per run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readGatewayFolder } from '../../electron/core/gateway/resolve';
import { gatewayCacheDir } from '../../electron/core/paths';
import { findNpmCli } from '../../scripts/gateway-openclaw/npm';

const MARKER = 'pincer-user-install.json';

export interface CommandResult {
  code: number | null;
  output: string;
  ms: number;
}

export function run(
  command: string,
  args: readonly string[],
  options: { env: Record<string, string>; cwd?: string; timeoutMs?: number },
): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: Date.now() - started });
    });
  });
}

/** The Node 24 runtime `npm run gateway:openclaw` put in the dev cache. */
function node24(): string {
  const install = readGatewayFolder(gatewayCacheDir(process.env, os.homedir()), 'cache');
  if (!install?.node) throw new Error('no Node 24 in the dev cache: run `npm run gateway:openclaw` first');
  return install.node;
}

/** A folder with just `node` (a link to Node 24), to put first on PATH. */
function nodeBinDir(root: string): string {
  const dir = path.join(root, 'node-bin');
  fs.mkdirSync(dir, { recursive: true });
  const link = path.join(dir, 'node');
  if (!fs.existsSync(link)) fs.symlinkSync(node24(), link);
  return dir;
}

/** The system PATH without any folder that has an `openclaw` of its own: the sandbox's is the only one. */
function systemPath(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir && !fs.existsSync(path.join(dir, 'openclaw')))
    .join(path.delimiter);
}

/** `npm install -g openclaw@version` into a cached prefix (once per version). */
export async function globalInstall(version: string): Promise<{ prefix: string; nodeBin: string; installMs?: number }> {
  const root = path.join(os.homedir(), '.cache', 'pincer', 'user-install', `openclaw-${version}`);
  const prefix = path.join(root, 'prefix');
  const nodeBin = nodeBinDir(root);
  if (fs.existsSync(path.join(root, MARKER))) return { prefix, nodeBin };
  fs.rmSync(prefix, { recursive: true, force: true });
  // A clean environment: `npm run` exports its own npm_config_* (prefix=/usr among them).
  const env = {
    PATH: [nodeBin, systemPath()].join(path.delimiter),
    HOME: os.homedir(),
    npm_config_prefix: prefix,
    npm_config_cache: process.env.npm_config_cache || path.join(os.homedir(), '.npm'),
  };
  const npmCli = findNpmCli(process.env, process.execPath, process.platform);
  const result = await run(node24(), [npmCli, 'install', '-g', `openclaw@${version}`, '--no-audit', '--no-fund', '--prefer-offline'], {
    env,
    timeoutMs: 600_000,
  });
  if (result.code !== 0) throw new Error(`npm install -g openclaw@${version} failed (${result.code}):\n${result.output}`);
  // Written last: a folder without it is an interrupted install and is redone.
  fs.writeFileSync(path.join(root, MARKER), JSON.stringify({ version, installedAt: new Date().toISOString() }));
  return { prefix, nodeBin, installMs: result.ms };
}

export interface UserSandbox {
  root: string;
  home: string;
  prefix: string;
  /** The package folder npm installed. */
  packageDir: string;
  configFile: string;
  /** The user's shell environment: private HOME, their PATH (openclaw, then Node 24). */
  env: Record<string, string>;
  /** Runs the user's `openclaw` as they would from their shell. */
  openclaw(args: readonly string[], timeoutMs?: number): Promise<CommandResult>;
  installMs?: number;
  onboardMs: number;
  remove(): void;
}

export async function createUserSandbox(options: { version: string; port: number; token: string }): Promise<UserSandbox> {
  const installed = await globalInstall(options.version);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-user-'));
  const home = path.join(root, 'home');
  const tmp = path.join(root, 'tmp');
  fs.mkdirSync(home);
  fs.mkdirSync(tmp);
  // Where the user told npm to put global packages.
  fs.writeFileSync(path.join(home, '.npmrc'), `prefix=${installed.prefix}\n`);
  const env: Record<string, string> = {
    PATH: [path.join(installed.prefix, 'bin'), installed.nodeBin, systemPath()].join(path.delimiter),
    HOME: home,
    TMPDIR: tmp,
    LANG: 'C.UTF-8',
    // Offline: no chat channels, no LAN discovery.
    OPENCLAW_SKIP_CHANNELS: '1',
    OPENCLAW_DISABLE_BONJOUR: '1',
  };
  const openclaw = (args: readonly string[], timeoutMs?: number) =>
    run(path.join(installed.prefix, 'bin', 'openclaw'), args, { env, cwd: home, timeoutMs });
  const onboard = await openclaw(
    [
      'onboard',
      '--non-interactive',
      '--accept-risk',
      '--mode',
      'local',
      '--flow',
      'quickstart',
      '--auth-choice',
      'skip',
      '--gateway-auth',
      'token',
      '--gateway-token',
      options.token,
      '--gateway-port',
      String(options.port),
      '--gateway-bind',
      'loopback',
      '--skip-channels',
      '--skip-skills',
      '--skip-health',
      '--no-install-daemon',
    ],
    120_000,
  );
  if (onboard.code !== 0) throw new Error(`openclaw onboard failed (${onboard.code}):\n${onboard.output}`);
  return {
    root,
    home,
    prefix: installed.prefix,
    packageDir: fs.realpathSync(path.join(installed.prefix, 'lib', 'node_modules', 'openclaw')),
    configFile: path.join(home, '.openclaw', 'openclaw.json'),
    env,
    openclaw,
    installMs: installed.installMs,
    onboardMs: onboard.ms,
    remove: () => fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 }),
  };
}
