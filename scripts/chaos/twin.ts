// One headless twin process (dist/headless.cjs) under the chaos driver: started on a data dir,
// its output watched for crash reports, killed -9 on purpose or stopped gracefully at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ApiClient } from './api';
import { findCrashReports } from './invariants';

export interface TwinSpec {
  root: string;
  dataDir: string;
  gatewayPort: number;
  apiToken: string;
  /** The twin's environment (carries the run tag, which its gateways inherit). */
  env: NodeJS.ProcessEnv;
  extraArgs: readonly string[];
}

export interface TwinExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Output kept for the report; crash lines are collected separately and never dropped. */
const OUTPUT_TAIL_CHARS = 64 * 1024;

export class Twin {
  readonly pid: number;
  readonly api: ApiClient;
  readonly exited: Promise<TwinExit>;
  /** Set when we killed it on purpose (kill -9 fault, or the final stop). */
  intentionalExit = false;
  exit?: TwinExit;
  private tail = '';
  private readonly crashes: string[] = [];
  private crashesReported = 0;

  private constructor(
    private readonly child: ChildProcess,
    apiPort: number,
    token: string,
  ) {
    this.pid = child.pid!;
    this.api = new ApiClient(apiPort, token);
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
      else child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    void this.exited.then((exit) => (this.exit = exit));
  }

  static async start(spec: TwinSpec, timeoutMs = 30_000): Promise<Twin> {
    const child = spawn(
      process.execPath,
      [
        path.join(spec.root, 'dist/headless.cjs'),
        '--data-dir',
        spec.dataDir,
        '--gateway-port',
        String(spec.gatewayPort),
        '--api-port',
        '0',
        ...spec.extraArgs,
      ],
      // Its own process group: a Ctrl+C at the terminal reaches only the driver, which stops it in order.
      { cwd: spec.root, env: { ...spec.env, PINCER_API_TOKEN: spec.apiToken }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    let early = '';
    const collect = (chunk: string) => (early += chunk);
    child.stdout!.setEncoding('utf8').on('data', collect);
    child.stderr!.setEncoding('utf8').on('data', collect);
    const apiPort = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`the twin printed no Dashboard line within ${timeoutMs} ms: ${early.slice(-2000)}`)), timeoutMs);
      const onData = () => {
        const match = /Dashboard: http:\/\/127\.0\.0\.1:(\d+)\//.exec(early);
        if (!match) return;
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        resolve(Number(match[1]));
      };
      const onExit = (code: number | null, signal: string | null) =>
        fail(new Error(`the twin exited (${code ?? signal}) before serving: ${early.slice(-2000)}`));
      const fail = (error: Error) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(error);
      };
      child.stdout!.on('data', onData);
      child.once('exit', onExit);
    });
    child.stdout!.off('data', collect);
    child.stderr!.off('data', collect);
    const twin = new Twin(child, apiPort, spec.apiToken);
    twin.record(early);
    child.stdout!.on('data', (chunk: string) => twin.record(chunk));
    child.stderr!.on('data', (chunk: string) => twin.record(chunk));
    return twin;
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  output(): string {
    return this.tail;
  }

  /** Crash lines (unhandled rejections, uncaught exceptions, …) not handed out before. */
  newCrashReports(): string[] {
    const fresh = this.crashes.slice(this.crashesReported);
    this.crashesReported = this.crashes.length;
    return fresh;
  }

  async kill9(): Promise<TwinExit> {
    this.intentionalExit = true;
    if (this.alive) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** SIGTERM (graceful: the twin stops its gateway), SIGKILL past the deadline. */
  async terminate(deadlineMs: number): Promise<TwinExit & { forced: boolean }> {
    this.intentionalExit = true;
    if (!this.alive) return { ...(await this.exited), forced: false };
    this.child.kill('SIGTERM');
    let forced = false;
    const timer = setTimeout(() => {
      forced = true;
      this.child.kill('SIGKILL');
    }, deadlineMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return { ...exit, forced };
  }

  private pending = '';

  private record(chunk: string): void {
    this.tail = (this.tail + chunk).slice(-OUTPUT_TAIL_CHARS);
    // Scan whole lines only, so a report split across chunks is still seen.
    const text = this.pending + chunk;
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      this.pending = text.slice(-OUTPUT_TAIL_CHARS);
      return;
    }
    this.pending = text.slice(end + 1);
    this.crashes.push(...findCrashReports(text.slice(0, end)));
  }
}
