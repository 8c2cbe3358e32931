// One chaos soak: build, start the twin on a temp data dir and free ports, hammer the public port,
// inject the scheduled faults one after another, check the invariants after each and at the end,
// stop everything, and sum it up.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { logsDir } from '../../electron/core/paths';
import { pickFreePort } from '../../electron/core/port/free-port';
import type { Cleanup } from './cleanup';
import { ChaosContext, ConvergenceFailure, TwinDied } from './context';
import { recover, runFault } from './faults';
import { Hammer } from './hammer';
import { crashKey, findCrashReports } from './invariants';
import type { ChaosOptions } from './options';
import { classifyFailures, windowsFromStates } from './outages';
import { helperProcesses } from './port-holders';
import { taggedPidsSync } from './procscan';
import { buildSchedule, FAULT_KINDS, type FaultKind } from './schedule';
import { pollUntil } from './wait';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HEARTBEAT_MS = 1_000;
/** Fast backoff keeps a soak short; the crash-loop limit stays the default. */
const RESTART_POLICY = { baseDelayMs: 100, maxDelayMs: 1_000, crashLoopMaxExits: 5, crashLoopWindowMs: 60_000 };

export interface Violation {
  /** 1-based fault number; 'setup', 'final', or 'aborted' when the run could not go on. */
  fault: number | 'setup' | 'final' | 'aborted';
  kind?: FaultKind;
  detail: string;
}

export interface ChaosSummary {
  faults: number;
  seed: number;
  gateway: 'reference' | 'openclaw';
  perKind: Partial<Record<FaultKind, { count: number; violations: number; worstConvergenceMs: number }>>;
  violations: Violation[];
  worstConvergenceMs: number;
  refusals: { total: number; unavoidable: number; avoidable: number };
  longestWaitMs: number;
  durationMs: number;
  client: { requests: number; ok: number; refused: number; reset: number; timeout: number; httpError: number };
  frontDoor: boolean;
  /** Kept when something failed: the twin's data dir with its logs. */
  artifacts?: string;
}

export interface ChaosIo {
  progress(line: string): void;
}

function build(): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`node scripts/build.mjs failed (${result.status}): ${result.stderr || result.stdout}`);
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export async function runChaos(options: ChaosOptions, io: ChaosIo, cleanup: Cleanup): Promise<ChaosSummary> {
  const startedAt = Date.now();
  const violations: Violation[] = [];
  const perKind: ChaosSummary['perKind'] = {};
  let worstConvergenceMs = 0;
  /** When each fault ran, to name the one behind an avoidable client failure. */
  const spans: Array<{ number: number; kind: FaultKind; from: number }> = [];
  const faultAt = (at: number) => [...spans].reverse().find((span) => span.from <= at);

  build();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-chaos-'));
  const dataDir = path.join(workDir, 'data');
  fs.mkdirSync(dataDir);
  const gatewayPort = await pickFreePort();
  const tag = { name: 'PINCER_CHAOS_RUN', value: `${process.pid}-${crypto.randomBytes(6).toString('hex')}` };
  // The reference gateway runs a worker child, so every generation is a real process tree.
  const gatewayEnv: Record<string, string> =
    options.gateway === 'reference'
      ? { PINCER_REFGW_SPAWN_WORKER: '1' }
      : {
          HOME: path.join(workDir, 'home'),
          TMPDIR: path.join(workDir, 'tmp'),
          OPENCLAW_STATE_DIR: path.join(workDir, 'openclaw-state'),
          OPENCLAW_SKIP_CHANNELS: '1',
          OPENCLAW_DISABLE_BONJOUR: '1',
        };
  if (options.gateway === 'openclaw') for (const dir of ['home', 'tmp']) fs.mkdirSync(path.join(workDir, dir));
  fs.writeFileSync(
    path.join(dataDir, 'settings.json'),
    JSON.stringify({
      gatewayPort,
      gatewayKind: options.gateway,
      heartbeatMs: HEARTBEAT_MS,
      restartPolicy: RESTART_POLICY,
      gatewayEnv,
      autoStart: true,
    }),
  );

  const ctx = new ChaosContext({
    twin: {
      root: ROOT,
      dataDir,
      gatewayPort,
      apiToken: crypto.randomBytes(24).toString('base64url'),
      env: { ...process.env, [tag.name]: tag.value },
      extraArgs: ['--gateway', options.gateway, ...(options.openclawDir ? ['--openclaw', path.resolve(options.openclawDir)] : [])],
    },
    tag,
    crashLoop: { maxExits: RESTART_POLICY.crashLoopMaxExits, windowMs: RESTART_POLICY.crashLoopWindowMs },
    gatewayEnv,
    slowness: options.gateway === 'openclaw' ? 6 : 1,
    heartbeatMs: HEARTBEAT_MS,
  });
  const hammer = new Hammer({ port: gatewayPort });

  cleanup.addLastResort(() => {
    for (const twin of ctx.twins) if (twin.alive) killQuietly(twin.pid);
    for (const helper of helperProcesses) if (helper.pid) killQuietly(helper.pid);
    for (const pid of taggedPidsSync(tag)) killQuietly(pid);
  });
  cleanup.add(async () => {
    for (const helper of helperProcesses) helper.kill('SIGKILL');
    for (const twin of ctx.twins) if (twin.alive) await twin.terminate(15_000);
  });
  cleanup.add(() => {
    void hammer.stop();
    ctx.recorder.detach();
  });

  const record = (fault: Violation['fault'], kind: FaultKind | undefined, details: readonly string[]) => {
    for (const detail of details) violations.push({ fault, ...(kind ? { kind } : {}), detail });
  };

  try {
    await ctx.startTwin();
    const first = await ctx.awaitTruth([{ state: 'running' }], { since: Date.now(), boundMs: 30_000 });
    io.progress(
      `chaos: twin pid ${ctx.twin.pid}, gateway port ${gatewayPort}, gateway pid ${first.status.pid}, seed ${options.seed}, ${options.faults} faults`,
    );
    record('setup', undefined, await ctx.settleChecks());
    hammer.start();

    const schedule = buildSchedule({ seed: options.seed, faults: options.faults, weights: options.weights });
    for (const [index, fault] of schedule.entries()) {
      const number = index + 1;
      const began = Date.now();
      spans.push({ number, kind: fault.kind, from: began });
      const problems: string[] = [];
      let summary = '';
      let convergenceMs = 0;
      try {
        const result = await runFault(ctx, fault);
        convergenceMs = result.convergenceMs;
        summary = result.notes.join('; ');
        problems.push(...result.problems, ...(await ctx.settleChecks()));
      } catch (error) {
        problems.push(describeFailure(error));
      }
      if (problems.length > 0) summary += await restoreBaseline(ctx, problems);
      record(number, fault.kind, problems);
      const stats = (perKind[fault.kind] ??= { count: 0, violations: 0, worstConvergenceMs: 0 });
      stats.count += 1;
      stats.violations += problems.length;
      stats.worstConvergenceMs = Math.max(stats.worstConvergenceMs, convergenceMs);
      worstConvergenceMs = Math.max(worstConvergenceMs, convergenceMs);
      io.progress(
        `[${String(number).padStart(String(schedule.length).length)}/${schedule.length}] ${fault.kind.padEnd(20)} ${problems.length === 0 ? 'ok  ' : 'FAIL'} ` +
          `${String(Date.now() - began).padStart(5)} ms  ${summary}${problems.map((p) => `\n      ✗ ${p}`).join('')}`,
      );
    }

    record('final', undefined, await ctx.settleChecks().catch((error: Error) => [describeFailure(error)]));
  } catch (error) {
    record('aborted', undefined, [describeFailure(error)]);
  }

  const client = await hammer.stop();
  ctx.recorder.detach();
  record('final', undefined, await stopTwinCleanly(ctx));
  record(
    'final',
    undefined,
    unreportedLogCrashes(
      dataDir,
      ctx.twins.flatMap((twin) => findCrashReports(twin.output())),
    ),
  );

  const end = Date.now();
  const refusals = classifyFailures(client.failures, [...windowsFromStates(ctx.recorder.marks, end), ...ctx.windows]);
  if (ctx.recorder.frontDoorSeen && refusals.avoidable > 0) {
    record('final', undefined, [
      `${refusals.avoidable} avoidable client failures through the front door, e.g. ${refusals.avoidableSamples
        .map((f) => {
          const span = faultAt(f.startedAt);
          return `${f.probe} ${f.detail} at +${f.startedAt - startedAt} ms (${span ? `during fault ${span.number}, ${span.kind}` : 'before the first fault'})`;
        })
        .join(', ')}`,
    ]);
  }

  const failed = violations.length > 0;
  if (!failed) fs.rmSync(workDir, { recursive: true, force: true });
  return {
    faults: options.faults,
    seed: options.seed,
    gateway: options.gateway,
    perKind: Object.fromEntries(FAULT_KINDS.filter((kind) => perKind[kind]).map((kind) => [kind, perKind[kind]!])),
    violations,
    worstConvergenceMs,
    refusals: { total: refusals.total, unavoidable: refusals.unavoidable, avoidable: refusals.avoidable },
    longestWaitMs: client.longestWaitMs,
    durationMs: Date.now() - startedAt,
    client: {
      requests: client.requests,
      ok: client.ok,
      refused: client.byOutcome.refused,
      reset: client.byOutcome.reset,
      timeout: client.byOutcome.timeout,
      httpError: client.byOutcome['http-error'],
    },
    frontDoor: ctx.recorder.frontDoorSeen,
    ...(failed ? { artifacts: workDir } : {}),
  };
}

function describeFailure(error: unknown): string {
  if (error instanceof ConvergenceFailure) return `status did not converge: ${error.message}`;
  if (error instanceof TwinDied) return error.message;
  return `fault could not run: ${(error as Error).stack ?? String(error)}`;
}

/**
 * After a failed fault: orphans killed, back to running (restarting the twin if it died or cannot
 * recover), so the next fault does not inherit this one's damage.
 */
async function restoreBaseline(ctx: ChaosContext, problems: string[]): Promise<string> {
  let note = '';
  try {
    const killed = await ctx.killOrphans();
    if (killed.length > 0) note = ` (killed orphans ${killed.join(', ')} so the next fault starts clean)`;
    if (ctx.twin.alive) {
      await recover(ctx);
      return note;
    }
  } catch (error) {
    problems.push(`could not recover: ${describeFailure(error)}`);
  }
  ctx.recorder.detach();
  if (ctx.twin.alive) await ctx.twin.kill9();
  await ctx.startTwin();
  await ctx.awaitTruth([{ state: 'running' }], { since: Date.now(), boundMs: 30_000 });
  return `${note} (twin restarted)`;
}

/** SIGTERM → the twin stops its gateway gracefully and exits 0, leaving no process of the run. */
async function stopTwinCleanly(ctx: ChaosContext): Promise<string[]> {
  const problems: string[] = [];
  for (const twin of ctx.twins) {
    if (!twin.alive) continue;
    const exit = await twin.terminate(20_000);
    if (exit.forced) problems.push(`the twin pid ${twin.pid} did not exit within 20 s of SIGTERM`);
    else if (exit.code !== 0) problems.push(`the twin pid ${twin.pid} exited ${exit.code ?? exit.signal} after SIGTERM, expected 0`);
  }
  try {
    await pollUntil(async () => ((await ctx.scan()).processes.length === 0 ? true : undefined), {
      timeoutMs: 5_000,
      what: 'no process of the run left',
    });
  } catch {
    const left = (await ctx.scan()).processes;
    problems.push(
      `after the twin's graceful exit, processes of the run are left: ${left.map((p) => `${p.pid} (${p.command.slice(0, 60)}, parent ${p.ppid})`).join(', ')}`,
    );
  }
  return problems;
}

/** Crash reports in main.log that the console output did not already show. */
function unreportedLogCrashes(dataDir: string, reported: readonly string[]): string[] {
  const seen = new Set(reported.map(crashKey));
  const logs = logsDir(dataDir);
  const files = fs.existsSync(logs) ? fs.readdirSync(logs).filter((name) => name.endsWith('.log')) : [];
  return files
    .flatMap((name) => findCrashReports(fs.readFileSync(path.join(logs, name), 'utf8')))
    .filter((line) => !seen.has(crashKey(line)))
    .map((line) => `main.log reported: ${line}`);
}
