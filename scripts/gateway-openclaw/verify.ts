// Proves a gateway folder works. runGatewayOnce starts the gateway once, waits for /readyz 200,
// stops it with SIGTERM and confirms it exited and left no process behind; verifyGateway does
// that offline with a private HOME, TMPDIR and state dir, so the check touches nothing of the user's.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildGatewayEnv, portableGatewayDirs } from '../../electron/core/gateway/env';
import { listPids, readProcStat } from '../../electron/core/process/procfs';
import { isAlive, killTree, listDescendants } from '../../electron/core/process/tree';
import { waitForReady } from '../../electron/core/readiness';
import { pickFreePort } from '../../electron/core/port/free-port';

export interface VerifyTarget {
  /** The JS runtime (absolute) and the gateway entry (absolute). */
  node: string;
  entry: string;
}

export interface VerifyResult {
  port: number;
  readyMs: number;
  stopMs: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

export interface VerifyOptions {
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
  /** The environment to start from (default process.env); npm's own variables are dropped. */
  env?: Readonly<Record<string, string | undefined>>;
}

const OUTPUT_TAIL_LINES = 40;
/** No messaging channels, no mDNS: a check that needs no network and announces nothing. */
export const OFFLINE_ENV = { OPENCLAW_SKIP_CHANNELS: '1', OPENCLAW_DISABLE_BONJOUR: '1' };
/** Descendants that outlive the gateway get this long to go before they count as left behind. */
const LEFTOVER_GRACE_MS = 10_000;

/** HOME, the temp dir and the caches under `root`: where OpenClaw writes besides its state dir. */
function privateEnvironment(root: string, base: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const dirs = { home: path.join(root, 'home'), tmp: path.join(root, 'tmp'), cache: path.join(root, 'cache') };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(base)) if (!name.toLowerCase().startsWith('npm_')) env[name] = value;
  return {
    ...env,
    HOME: dirs.home,
    USERPROFILE: dirs.home,
    TMPDIR: dirs.tmp,
    TMP: dirs.tmp,
    TEMP: dirs.tmp,
    XDG_CACHE_HOME: dirs.cache,
    npm_config_cache: path.join(dirs.cache, 'npm'),
  };
}

/** True when `promise` settles within `ms`; the timer never outlives the wait. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Members of the gateway's process tree or group that still run. */
async function survivors(pgid: number, recorded: readonly number[]): Promise<number[]> {
  const alive = new Set(recorded.filter(isAlive));
  if (process.platform === 'linux') {
    // The group catches processes that left the tree (re-parented); zombies do not count.
    for (const stat of await Promise.all((await listPids()).map(readProcStat))) {
      if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') alive.add(stat.pid);
    }
  }
  return [...alive];
}

export interface RunOnceOptions {
  /** The gateway's complete environment (token included). */
  env: Record<string, string>;
  cwd: string;
  readyTimeoutMs: number;
  stopTimeoutMs: number;
}

/**
 * Starts the gateway once on a free loopback port, waits for /readyz 200, stops it with SIGTERM
 * and confirms it exited (0, on POSIX) and left no process behind. Throws with the gateway's
 * last output lines otherwise; never leaves a process running.
 */
export async function runGatewayOnce(target: VerifyTarget, options: RunOnceOptions): Promise<VerifyResult> {
  const { readyTimeoutMs, stopTimeoutMs } = options;
  const port = await pickFreePort();
  const started = Date.now();
  const child = spawn(target.node, [target.entry, 'gateway', '--port', String(port), '--bind', 'loopback', '--allow-unconfigured'], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group (POSIX), so whatever it forks can be found after it exits.
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    tail.push(...chunk.toString('utf8').split(/\r?\n/).filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - OUTPUT_TAIL_LINES));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    });
    child.once('error', (error) => {
      spawnError = error;
      resolve();
    });
  });
  const failure = (message: string) => new Error(`${message}\n--- gateway output (last ${OUTPUT_TAIL_LINES} lines) ---\n${tail.join('\n')}`);

  try {
    try {
      await waitForReady({
        port,
        timeoutMs: readyTimeoutMs,
        intervalMs: 250,
        abort: () =>
          spawnError ? `could not start: ${spawnError.message}` : exit ? `exited early (${exit.signal ?? `code ${exit.code}`})` : undefined,
      });
    } catch (error) {
      throw failure(`the gateway did not become ready: ${(error as Error).message}`);
    }
    const readyMs = Date.now() - started;
    const pid = child.pid!;
    const recorded = await listDescendants(pid);

    const stopStarted = Date.now();
    child.kill('SIGTERM');
    const stopped = await settlesWithin(exited, stopTimeoutMs);
    if (!stopped) throw failure(`the gateway did not exit within ${stopTimeoutMs / 1000} s of SIGTERM`);
    const stopMs = Date.now() - stopStarted;
    // Windows has no SIGTERM: kill() terminates, so only POSIX can insist on a clean exit.
    if (process.platform !== 'win32' && exit!.code !== 0)
      throw failure(`the gateway exited with ${exit!.signal ?? `code ${exit!.code}`} on SIGTERM, not 0`);

    let left = await survivors(pid, recorded);
    for (const deadline = Date.now() + LEFTOVER_GRACE_MS; left.length > 0 && Date.now() < deadline; left = await survivors(pid, recorded)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (left.length > 0) {
      await Promise.all(left.map((leftover) => killTree(leftover, 'SIGKILL').catch(() => undefined)));
      throw failure(`processes left behind after the gateway exited: ${left.join(', ')} (killed now)`);
    }
    return { port, readyMs, stopMs, exitCode: exit!.code, signal: exit!.signal };
  } finally {
    if (!exit && !spawnError && child.pid) {
      await killTree(child.pid, 'SIGKILL').catch(() => undefined);
      await settlesWithin(exited, 10_000);
    }
  }
}

/** Points OpenClaw's file log into `stateDir`: there is no environment variable for it (default /tmp/openclaw/). */
function writeLogFileConfig(stateDir: string): void {
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(path.join(stateDir, 'openclaw.json'), JSON.stringify({ logging: { file: path.join(stateDir, 'logs', 'openclaw.log') } }));
}

/** runGatewayOnce in a private temp HOME/TMPDIR/state dir (removed afterwards), as an offline check. */
export async function verifyGateway(target: VerifyTarget, options: VerifyOptions = {}): Promise<VerifyResult> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-gateway-verify-'));
  try {
    const portable = portableGatewayDirs(root);
    for (const dir of Object.values(portable)) fs.mkdirSync(dir, { recursive: true });
    writeLogFileConfig(portable.state);
    const env = buildGatewayEnv({
      base: privateEnvironment(root, options.env ?? process.env),
      token: crypto.randomBytes(32).toString('base64url'),
      extra: OFFLINE_ENV,
      portable,
    });
    return await runGatewayOnce(target, {
      env,
      cwd: root,
      readyTimeoutMs: options.readyTimeoutMs ?? 120_000,
      stopTimeoutMs: options.stopTimeoutMs ?? 30_000,
    });
  } finally {
    fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  }
}
