// Builds and runs the real reference gateway for tests: a child process on a real port, always stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { isAlive } from '../../electron/core/process/tree';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REFERENCE_GATEWAY_BUNDLE = path.join(ROOT, 'dist/gateway/reference-gateway.cjs');
const SOURCE_DIRS = [path.join(ROOT, 'resources/gateway/src'), path.join(ROOT, 'electron/core/protocol')];

function newestSourceMtimeMs(): number {
  let newest = 0;
  for (const dir of SOURCE_DIRS) {
    for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
      newest = Math.max(newest, fs.statSync(path.join(dir, name)).mtimeMs);
    }
  }
  return newest;
}

let building: Promise<string> | undefined;

/** Bundles resources/gateway/src/main.ts as the lead's build does; reuses a bundle newer than the sources. */
export function buildReferenceGateway(): Promise<string> {
  building ??= (async () => {
    const existing = fs.statSync(REFERENCE_GATEWAY_BUNDLE, { throwIfNoEntry: false });
    if (existing && existing.mtimeMs > newestSourceMtimeMs()) return REFERENCE_GATEWAY_BUNDLE;
    // Write aside, then rename: another test process may be reading the bundle.
    const temp = `${REFERENCE_GATEWAY_BUNDLE}.${process.pid}.tmp`;
    await build({
      entryPoints: [path.join(ROOT, 'resources/gateway/src/main.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: temp,
      logLevel: 'error',
      // ws treats these native accelerators as optional.
      external: ['bufferutil', 'utf-8-validate'],
    });
    fs.renameSync(temp, REFERENCE_GATEWAY_BUNDLE);
    return REFERENCE_GATEWAY_BUNDLE;
  })();
  return building;
}

export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartReferenceGatewayOptions {
  port: number;
  /** Put in OPENCLAW_GATEWAY_TOKEN; null leaves it unset. */
  token: string | null;
  /** Extra environment (fault variables…); undefined values remove a variable. */
  env?: Record<string, string | undefined>;
  /** Replaces the default `--port P --bind loopback`. */
  args?: string[];
  /** Node executable; default the one running the tests. */
  nodePath?: string;
  /** What to wait for before resolving (default: the listening line). */
  waitFor?: 'listening' | 'ready' | 'spawn';
}

export interface ReferenceGatewayProcess {
  proc: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout (waits for it to appear). */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<ExitResult>;
  /** SIGTERM, SIGKILL after 5 s; also kills a worker child the gateway reported. */
  stop(): Promise<ExitResult>;
}

const running = new Set<ReferenceGatewayProcess>();

function gatewayEnv(token: string | null, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('PINCER_REFGW_') && key !== 'OPENCLAW_GATEWAY_TOKEN') env[key] = value;
  }
  if (token !== null) env.OPENCLAW_GATEWAY_TOKEN = token;
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export async function startReferenceGateway(options: StartReferenceGatewayOptions): Promise<ReferenceGatewayProcess> {
  const bundle = await buildReferenceGateway();
  const args = options.args ?? ['--port', String(options.port), '--bind', 'loopback'];
  const proc = spawn(options.nodePath ?? process.execPath, [bundle, ...args], {
    env: gatewayEnv(options.token, options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const stdoutWaiters = new Set<() => void>();
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const wake of stdoutWaiters) wake();
  });
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<ExitResult>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  let exitResult: ExitResult | undefined;
  void exited.then((result) => {
    exitResult = result;
    for (const wake of stdoutWaiters) wake();
  });

  const waitForStdout = (pattern: RegExp, timeoutMs = 20_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = stdout.match(pattern);
        if (match) return done(() => resolve(match));
        if (exitResult) {
          done(() => reject(new Error(`gateway exited (${JSON.stringify(exitResult)}) before ${pattern}; stderr: ${stderr}`)));
        }
      };
      const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for ${pattern}; stdout: ${stdout.slice(-2000)}`))), timeoutMs);
      const done = (settle: () => void) => {
        clearTimeout(timer);
        stdoutWaiters.delete(check);
        settle();
      };
      stdoutWaiters.add(check);
      check();
    });

  const handle: ReferenceGatewayProcess = {
    proc,
    pid: proc.pid!,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForStdout,
    exited,
    async stop() {
      if (!exitResult) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      const worker = stdout.match(/worker pid (\d+)/);
      if (worker && isAlive(Number(worker[1]))) process.kill(Number(worker[1]), 'SIGKILL');
      running.delete(handle);
      return exited;
    },
  };
  running.add(handle);
  try {
    if (options.waitFor !== 'spawn') await waitForStdout(options.waitFor === 'ready' ? /\[gateway\] ready/ : /listening on 127\.0\.0\.1:\d+/);
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return handle;
}

/** For afterEach/afterAll: stops every gateway this test process started. */
export async function stopAllReferenceGateways(): Promise<void> {
  await Promise.all([...running].map((gateway) => gateway.stop()));
}

/** Runs the gateway (or `doctor`) to completion, for exit-code tests. */
export async function runReferenceGateway(
  args: string[],
  { token, env, timeoutMs = 20_000 }: { token: string | null; env?: Record<string, string | undefined>; timeoutMs?: number },
): Promise<ExitResult & { stdout: string; stderr: string }> {
  const bundle = await buildReferenceGateway();
  const proc = spawn(process.execPath, [bundle, ...args], { env: gatewayEnv(token, env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  const result = await new Promise<ExitResult>((resolve) => proc.once('close', (code, signal) => resolve({ code, signal })));
  clearTimeout(timer);
  return { ...result, stdout, stderr };
}

process.once('exit', () => {
  for (const gateway of running) gateway.proc.kill('SIGKILL');
});
