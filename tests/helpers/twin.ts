// The built headless twin (dist/headless.cjs) as a user runs it: a temp data dir, a gateway on a
// chosen free port (the reference gateway unless told otherwise), the API on a port the OS picks,
// and its API spoken directly.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GatewayStatus } from '../../electron/core/status';
import { waitFor } from '../helpers/wait';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HEADLESS = path.join(ROOT, 'dist/headless.cjs');

export interface Reply {
  status: number;
  body: string;
}

export interface Twin {
  pid: number;
  apiPort: number;
  token: string;
  /** The link the twin prints, token in the fragment. */
  dashboardUrl: string;
  /** The same page without the token. */
  baseUrl: string;
  dataDir: string;
  output(): string;
  request(method: string, url: string, body?: unknown): Promise<Reply>;
  status(): Promise<GatewayStatus>;
  settings(): Promise<Record<string, unknown>>;
  /** SIGTERM, then waits for the exit (SIGKILL past the deadline, reported as such). */
  stop(deadlineMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function call(port: number, method: string, url: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method, path: url, agent: false, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

export interface TwinOptions {
  /** Undefined: no --gateway-port (the settings' or the user's OpenClaw config's port). */
  gatewayPort?: number;
  /** How the gateway is chosen (default: the reference gateway). */
  gatewayArgs?: string[];
  /** Environment of the twin, and so of its gateway; merged over this process's. */
  env?: Record<string, string>;
  /** A data dir to use (and keep); default: a fresh temp dir. */
  dataDir?: string;
  /** False: the twin gets only `env` (a user's session, without this runner's npm_config_* and the like). */
  inheritEnv?: boolean;
}

export async function startTwin({
  gatewayPort,
  gatewayArgs = ['--gateway', 'reference'],
  env = {},
  dataDir: givenDataDir,
  inheritEnv = true,
}: TwinOptions): Promise<Twin> {
  if (!fs.existsSync(HEADLESS)) throw new Error(`${HEADLESS} is missing: build dist/ first (node scripts/build.mjs)`);
  const dataDir = givenDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-twin-'));
  // An empty PINCER_API_TOKEN makes the twin pick a random token for this run.
  const child: ChildProcess = spawn(
    process.execPath,
    [
      HEADLESS,
      '--data-dir',
      dataDir,
      ...gatewayArgs,
      ...(gatewayPort === undefined ? [] : ['--gateway-port', String(gatewayPort)]),
      '--api-port',
      '0',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...(inheritEnv ? process.env : {}), PINCER_API_TOKEN: '', ...env } },
  );
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  let match: RegExpExecArray;
  try {
    match = await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`the twin exited (${child.exitCode}): ${output}`);
        return /Dashboard: (http:\/\/127\.0\.0\.1:(\d+)\/)#token=(\S+)/.exec(output);
      },
      { timeoutMs: 30_000, what: "the twin's Dashboard line" },
    );
  } catch (error) {
    // Nobody else holds this child yet: stop it here (SIGTERM also stops a gateway it started).
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
    if (!givenDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}; twin output: ${output}`, { cause: error });
  }
  const baseUrl = match[1]!;
  const apiPort = Number(match[2]);
  const token = match[3]!;

  const request = async (method: string, url: string, body?: unknown): Promise<Reply> =>
    call(
      apiPort,
      method,
      url,
      { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body === undefined ? undefined : JSON.stringify(body),
    );
  const json = async <T>(url: string): Promise<T> => {
    const reply = await request('GET', url);
    if (reply.status !== 200) throw new Error(`GET ${url} → ${reply.status} ${reply.body}`);
    return JSON.parse(reply.body) as T;
  };

  return {
    pid: child.pid!,
    apiPort,
    token,
    dashboardUrl: match[0].slice('Dashboard: '.length),
    baseUrl,
    dataDir,
    output: () => output,
    request,
    status: () => json<GatewayStatus>('/api/status'),
    settings: () => json<Record<string, unknown>>('/api/settings'),
    async stop(deadlineMs = 30_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
        const result = await exited;
        clearTimeout(timer);
        return result;
      }
      return exited;
    },
  };
}
