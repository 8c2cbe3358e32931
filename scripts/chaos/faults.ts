// The faults. Each starts from a running gateway, injects its fault, waits for the status to
// converge to the truth (or the error the fault must produce), and brings the gateway back to
// running, so every fault is judged on its own. Fault-specific broken promises come back as
// `problems`; a status that never converges throws ConvergenceFailure.
import { isAlive } from '../../electron/core/process/tree';
import type { GatewayErrorCode, GatewayStatus } from '../../electron/core/status';
import { DEFAULT_TIMEOUTS } from '../../electron/core/supervision/context';
import type { ChaosContext, Converged } from './context';
import { gatewayTrees, type Expected } from './invariants';
import { makeLeftovers, startForeignListener } from './port-holders';
import { readStartTime, SNAPSHOT_ENV } from './procscan';
import type { Fault, Intent, Refusal } from './schedule';
import { sleep } from './wait';

export interface FaultResult {
  /** From the fault's last action to a true status (the worst phase when there are several). */
  convergenceMs: number;
  notes: string[];
  problems: string[];
}

/** The twin restarts the gateway 300 ms after a settings change; judge only after that. */
const SETTINGS_SETTLE_MS = 700;
/** Bound for a plain recovery (kill, restart, start) of the reference gateway. */
const RECOVERY_MS = 15_000;
/** Bound for reaching an error state through a crash loop or a repair. */
const ERROR_MS = 30_000;

/** Watching a gateway that sends bad frames: with backoff (base 100 ms, cap 1 s) ≤ ~5 losses fit in 2 s. */
const MALFORMED_WATCH_MS = 2_000;
const MALFORMED_MAX_LOSSES = 8;

const REFUSAL_CODES: Record<Refusal, GatewayErrorCode> = { token: 'AUTH_FAILED', protocol: 'PROTOCOL_MISMATCH', pairing: 'PAIRING_REQUIRED' };

function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

/** The gateway is running (every fault leaves it so); recovers first if it is not. */
async function baseline(ctx: ChaosContext): Promise<GatewayStatus & { pid: number }> {
  let status = await ctx.status();
  if (status.state !== 'running' || status.pid === undefined) status = (await recover(ctx)).status;
  return status as GatewayStatus & { pid: number };
}

/** Back to running from wherever we are: fault variables cleared, then a user start. */
export async function recover(ctx: ChaosContext): Promise<Converged> {
  const since = Date.now();
  await ctx.api().putSettings({ gatewayEnv: ctx.gatewayEnv });
  await ctx.api().intent('start');
  ctx.ledger.reset();
  return ctx.awaitTruth([{ state: 'running' }], { since, boundMs: RECOVERY_MS, notBefore: since + SETTINGS_SETTLE_MS });
}

async function putEnv(ctx: ChaosContext, extra: Record<string, string>): Promise<number> {
  const at = Date.now();
  await ctx.api().putSettings({ gatewayEnv: { ...ctx.gatewayEnv, ...extra } });
  return at;
}

/** Running with a new pid, or CRASH_LOOP when the kills we caused could add up to one. */
function afterUnexpectedExit(ctx: ChaosContext, at: number, notPid?: number): Expected[] {
  return [{ state: 'running', notPid }, ...(ctx.ledger.crashLoopPossible(at) ? [{ state: 'error' as const, codes: ['CRASH_LOOP' as const] }] : [])];
}

/** A fault injected through the gateway's environment for one generation. */
interface EnvFault {
  env: Record<string, string>;
  expected: (before: GatewayStatus & { pid: number }) => Expected[];
  check?: (converged: Converged, result: FaultResult) => Promise<void> | void;
  boundMs: number;
  /** The gateway dies while it may be serving (crash after start): requests in flight are lost, unavoidably. */
  diesWhileServing?: boolean;
}

/** A fault variable on for one generation: converge to `expected`, check, clear, converge back. */
async function withGatewayEnv(ctx: ChaosContext, fault: EnvFault): Promise<FaultResult> {
  const before = await baseline(ctx);
  const result: FaultResult = { convergenceMs: 0, notes: [], problems: [] };
  const at = await putEnv(ctx, fault.env);
  const close = fault.diesWhileServing ? ctx.openWindow('gateway crashing while serving (requests in flight)', ['reset', 'timeout'], at) : undefined;
  const faulty = await ctx.awaitTruth(fault.expected(before), { since: at, boundMs: fault.boundMs, notBefore: at + SETTINGS_SETTLE_MS });
  close?.();
  result.convergenceMs = faulty.ms;
  result.notes.push(`${faulty.status.state}${faulty.status.error ? ` ${faulty.status.error.code}` : ''} in ${faulty.ms} ms`);
  await fault.check?.(faulty, result);
  const recovered = faulty.status.state === 'error' ? await recover(ctx) : await clearEnv(ctx, faulty.status.pid, fault.env, fault.boundMs);
  result.convergenceMs = Math.max(result.convergenceMs, recovered.ms);
  result.notes.push(`recovered in ${recovered.ms} ms`);
  return result;
}

/** Back to the base environment: a new generation without the fault variables. */
async function clearEnv(ctx: ChaosContext, faultyPid: number | undefined, extra: Record<string, string>, boundMs: number): Promise<Converged> {
  const at = await putEnv(ctx, {});
  const env: Record<string, string | undefined> = Object.fromEntries(Object.keys(extra).map((name) => [name, undefined]));
  for (const [name, value] of Object.entries(ctx.gatewayEnv)) if (SNAPSHOT_ENV.test(name)) env[name] = value;
  return ctx.awaitTruth([{ state: 'running', notPid: faultyPid, env }], { since: at, boundMs, notBefore: at + SETTINGS_SETTLE_MS });
}

/** The newest gateway generation (mid-restart there may be two: the old one stopping, the new one starting). */
async function newestGatewayRoot(ctx: ChaosContext): Promise<number | undefined> {
  const roots = gatewayTrees(await ctx.scan())
    .map((tree) => tree.root)
    .filter((root) => root.ppid === ctx.twin.pid);
  return roots.sort((a, b) => Number(readStartTime(b.pid) ?? 0) - Number(readStartTime(a.pid) ?? 0))[0]?.pid;
}

async function kill9(ctx: ChaosContext, midRestartMs: number | undefined): Promise<FaultResult> {
  const before = await baseline(ctx);
  let pid = before.pid;
  if (midRestartMs !== undefined) {
    await ctx.api().intent('restart');
    await sleep(midRestartMs);
    pid = (await newestGatewayRoot(ctx)) ?? before.pid;
  }
  const at = Date.now();
  signal(pid, 'SIGKILL');
  ctx.ledger.record(at);
  // Only requests already in flight at the kill are lost; later ones must wait for the next generation.
  ctx.openWindow('gateway killed -9 (requests in flight)', ['reset', 'timeout'], at)(at); // closed at once
  let converged = await ctx.awaitTruth(afterUnexpectedExit(ctx, at, pid), { since: at, boundMs: RECOVERY_MS });
  const when = midRestartMs === undefined ? '' : ` ${midRestartMs} ms into a restart`;
  const notes = [
    `pid ${pid} killed${when} → ${converged.status.state} ${converged.status.pid ?? converged.status.error?.code} in ${converged.ms} ms`,
  ];
  const ms = converged.ms;
  if (converged.status.state === 'error') {
    converged = await recover(ctx);
    notes.push(`crash loop after our kills; recovered in ${converged.ms} ms`);
  }
  return { convergenceMs: ms, notes, problems: [] };
}

async function sigstop(ctx: ChaosContext, stopMs: number): Promise<FaultResult> {
  const before = await baseline(ctx);
  const { pid } = before;
  const startTime = readStartTime(pid);
  const heartbeatMs = ctx.spec.heartbeatMs;
  const at = Date.now();
  signal(pid, 'SIGSTOP');
  ctx.ledger.record(at); // if the supervisor has to kill it, that is an unexpected exit
  const close = ctx.openWindow('gateway frozen (SIGSTOP)', ['reset', 'timeout'], at);
  let detectedAfterMs: number | undefined;
  while (Date.now() - at < stopMs) {
    if (detectedAfterMs === undefined) {
      const status = await ctx.status().catch(() => undefined);
      if (status && (status.state !== 'running' || status.pid !== pid)) detectedAfterMs = Date.now() - at;
    }
    await sleep(Math.min(50, Math.max(0, stopMs - (Date.now() - at))));
  }
  const resumedAt = Date.now();
  // Only SIGCONT the very process we froze (never a later one that reused its pid).
  if (readStartTime(pid) === startTime) signal(pid, 'SIGCONT');
  const problems: string[] = [];
  // Hang detection promises 2 × heartbeat; allow 1.5 s for the kill and a busy machine.
  const detectionBound = 2 * heartbeatMs + ctx.bound(1_500);
  if (stopMs > detectionBound && detectedAfterMs === undefined) {
    problems.push(
      `gateway pid ${pid} frozen for ${stopMs} ms, but the status still said running with it (hang not detected within ${detectionBound} ms)`,
    );
  }
  let converged = await ctx.awaitTruth(afterUnexpectedExit(ctx, at), { since: resumedAt, boundMs: RECOVERY_MS });
  close(Date.now());
  if (converged.status.pid === pid) ctx.ledger.forget(at);
  const notes = [
    `frozen ${stopMs} ms; ${detectedAfterMs === undefined ? 'not detected (resumed)' : `detected after ${detectedAfterMs} ms`}; ${converged.status.pid === pid ? 'same pid' : `pid → ${converged.status.pid ?? converged.status.error?.code}`}`,
  ];
  const ms = converged.ms;
  if (converged.status.state === 'error') {
    converged = await recover(ctx);
    notes.push(`crash loop after our kills; recovered in ${converged.ms} ms`);
  }
  return { convergenceMs: ms, notes, problems };
}

async function foreignPort(ctx: ChaosContext): Promise<FaultResult> {
  await baseline(ctx);
  const port = ctx.spec.twin.gatewayPort;
  const result: FaultResult = { convergenceMs: 0, notes: [], problems: [] };
  const stopAt = Date.now();
  await ctx.api().intent('stop');
  await ctx.awaitTruth([{ state: 'stopped' }], { since: stopAt, boundMs: RECOVERY_MS });
  const holder = await startForeignListener(port);
  if ('failed' in holder) {
    result.notes.push(`the public port stayed taken while stopped (${holder.failed}): nothing to grab`);
  } else {
    const startAt = Date.now();
    await ctx.api().intent('start');
    ctx.ledger.reset();
    const refused = await ctx.awaitTruth([{ state: 'error', codes: ['PORT_IN_USE'] }], { since: startAt, boundMs: RECOVERY_MS });
    result.convergenceMs = refused.ms;
    const owner = refused.status.error?.portOwner?.pid;
    if (owner !== holder.pid) result.problems.push(`PORT_IN_USE named pid ${owner ?? '(none)'}, but the foreign listener is pid ${holder.pid}`);
    if (!holder.alive()) result.problems.push(`the foreign listener pid ${holder.pid} was killed by Pincer`);
    result.notes.push(`PORT_IN_USE naming pid ${owner} in ${refused.ms} ms`);
    await holder.kill();
  }
  const startAt = Date.now();
  await ctx.api().intent('start');
  ctx.ledger.reset();
  const running = await ctx.awaitTruth([{ state: 'running' }], { since: startAt, boundMs: RECOVERY_MS });
  result.convergenceMs = Math.max(result.convergenceMs, running.ms);
  result.notes.push(`running again in ${running.ms} ms`);
  return result;
}

async function timeWait(ctx: ChaosContext, timeWaitCount: number, finWait2Count: number): Promise<FaultResult> {
  await baseline(ctx);
  const port = ctx.spec.twin.gatewayPort;
  const stopAt = Date.now();
  await ctx.api().intent('stop');
  await ctx.awaitTruth([{ state: 'stopped' }], { since: stopAt, boundMs: RECOVERY_MS });
  const leftovers = await makeLeftovers(port, timeWaitCount, finWait2Count);
  const notes = [
    'failed' in leftovers
      ? `no leftovers made (${leftovers.failed})`
      : `${leftovers.timeWait} TIME_WAIT + ${leftovers.finWait2} FIN_WAIT2 on ${port}`,
  ];
  try {
    const startAt = Date.now();
    await ctx.api().intent('start');
    ctx.ledger.reset();
    const running = await ctx.awaitTruth([{ state: 'running' }], { since: startAt, boundMs: RECOVERY_MS });
    notes.push(`running in ${running.ms} ms`);
    return { convergenceMs: running.ms, notes, problems: [] };
  } finally {
    if (!('failed' in leftovers)) leftovers.release();
  }
}

async function restartStorm(ctx: ChaosContext, requests: number, clients: number): Promise<FaultResult> {
  const before = await baseline(ctx);
  // A storm this soon after a restart completed may rightly join that one (policy/intent.ts).
  const mayJoinCompleted = before.startedAt !== undefined && Date.now() < before.startedAt + DEFAULT_TIMEOUTS.restartBurstMs;
  const perClient = Math.ceil(requests / clients);
  const replies = (
    await Promise.all(
      Array.from({ length: clients }, (_, client) =>
        Promise.all(Array.from({ length: Math.min(perClient, requests - client * perClient) }, () => ctx.api().intent('restart'))),
      ),
    )
  ).flat();
  const at = Date.now();
  const converged = await ctx.awaitTruth([{ state: 'running', notPid: mayJoinCompleted ? undefined : before.pid }], {
    since: at,
    boundMs: RECOVERY_MS,
  });
  const restarts = converged.status.restarts - before.restarts;
  // A request that found the storm's restart already finished may rightly start another one.
  const late = replies.filter((reply) => reply.state === 'running' && reply.pid !== before.pid).length;
  const fewest = mayJoinCompleted ? 0 : 1;
  const problems =
    restarts < fewest || restarts > 1 + late
      ? [`${requests} concurrent restarts (${late} after the first finished) → ${restarts} restarts, expected ${fewest}..${1 + late}`]
      : [];
  return {
    convergenceMs: converged.ms,
    notes: [`${requests} restarts from ${clients} clients → ${restarts} restart(s), running in ${converged.ms} ms`],
    problems,
  };
}

async function interleave(ctx: ChaosContext, steps: ReadonlyArray<{ intent: Intent; gapMs: number }>): Promise<FaultResult> {
  await baseline(ctx);
  for (const step of steps) {
    await ctx.api().intent(step.intent);
    await sleep(step.gapMs);
  }
  const at = Date.now();
  const last = steps[steps.length - 1]!.intent;
  const notes = [steps.map((s) => s.intent).join('→')];
  if (last !== 'stop') {
    const running = await ctx.awaitTruth([{ state: 'running' }], { since: at, boundMs: RECOVERY_MS });
    notes.push(`running in ${running.ms} ms`);
    return { convergenceMs: running.ms, notes, problems: [] };
  }
  const stopped = await ctx.awaitTruth([{ state: 'stopped' }], { since: at, boundMs: RECOVERY_MS });
  notes.push(`stopped in ${stopped.ms} ms`);
  const startAt = Date.now();
  await ctx.api().intent('start');
  ctx.ledger.reset();
  const running = await ctx.awaitTruth([{ state: 'running' }], { since: startAt, boundMs: RECOVERY_MS });
  return { convergenceMs: stopped.ms, notes: [...notes, `started again in ${running.ms} ms`], problems: [] };
}

/**
 * After a restart request: an even delay aims at the blue/green overlap (the kill lands as soon as
 * two generations are alive, or after the delay), an odd one at a plain moment of the restart.
 */
async function midRestart(ctx: ChaosContext, delayMs: number): Promise<void> {
  await ctx.api().intent('restart');
  const until = Date.now() + delayMs;
  const aimAtOverlap = delayMs % 2 === 0;
  while (Date.now() < until) {
    if (aimAtOverlap && gatewayTrees(await ctx.scan()).length >= 2) return;
    await sleep(aimAtOverlap ? 5 : until - Date.now());
  }
}

async function twinKill9(ctx: ChaosContext, midRestartMs: number | undefined): Promise<FaultResult> {
  await baseline(ctx);
  if (midRestartMs !== undefined) await midRestart(ctx, midRestartMs);
  const gateways = gatewayTrees(await ctx.scan()).map((tree) => tree.root.pid);
  const at = Date.now();
  const close = ctx.openWindow('the supervisor was killed -9', 'all', at);
  ctx.recorder.detach();
  await ctx.twin.kill9();
  const orphans = gateways.filter(isAlive);
  const twin = await ctx.startTwin();
  const startedAt = Date.now();
  const converged = await ctx.awaitTruth([{ state: 'running' }], { since: startedAt, boundMs: RECOVERY_MS });
  close();
  const { pid, attached } = converged.status;
  const problems = orphans
    .filter((orphan) => orphan !== pid && isAlive(orphan))
    .map((orphan) => `gateway pid ${orphan} of the killed supervisor is still alive beside the new pid ${pid}: duplicate`);
  const how = orphans.includes(pid!) ? (attached ? `attached to pid ${pid}` : `claims pid ${pid} as its own child`) : `started pid ${pid}`;
  const when = midRestartMs === undefined ? '' : ` ${midRestartMs} ms into a restart`;
  return {
    convergenceMs: converged.ms,
    notes: [
      `twin killed${when} with gateway(s) ${gateways.join(', ') || 'none'} (${orphans.length} left running) → twin pid ${twin.pid} ${how}; running in ${converged.ms} ms`,
    ],
    problems,
  };
}

async function settingsMidRestart(ctx: ChaosContext, delayMs: number, marker: number): Promise<FaultResult> {
  const before = await baseline(ctx);
  await ctx.api().intent('restart');
  await sleep(delayMs);
  ctx.gatewayEnv = { ...ctx.gatewayEnv, PINCER_CHAOS_MARK: String(marker) };
  const at = await putEnv(ctx, {});
  const converged = await ctx.awaitTruth([{ state: 'running', notPid: before.pid, env: { PINCER_CHAOS_MARK: String(marker) } }], {
    since: at,
    boundMs: RECOVERY_MS,
    notBefore: at + SETTINGS_SETTLE_MS,
  });
  return {
    convergenceMs: converged.ms,
    notes: [`settings changed ${delayMs} ms into a restart; the new generation has them; running in ${converged.ms} ms`],
    problems: [],
  };
}

export async function runFault(ctx: ChaosContext, fault: Fault): Promise<FaultResult> {
  switch (fault.kind) {
    case 'kill9':
      return kill9(ctx, fault.midRestartMs);
    case 'sigstop':
      return sigstop(ctx, fault.stopMs);
    case 'slow-start':
      return withGatewayEnv(ctx, {
        env: { PINCER_REFGW_START_DELAY_MS: String(fault.delayMs) },
        expected: (before) => [{ state: 'running', notPid: before.pid, env: { PINCER_REFGW_START_DELAY_MS: String(fault.delayMs) } }],
        boundMs: RECOVERY_MS + fault.delayMs,
      });
    case 'crash-loop':
      return withGatewayEnv(ctx, {
        env: { PINCER_REFGW_CRASH_AFTER_MS: String(fault.crashAfterMs) },
        expected: () => [{ state: 'error', codes: ['CRASH_LOOP'] }],
        check: ({ status, snapshot }, result) => {
          if (status.stderrTail.length === 0) result.problems.push('CRASH_LOOP without the stderr tail');
          if (snapshot.processes.length > 0)
            result.problems.push(`CRASH_LOOP, yet gateway processes live: ${snapshot.processes.map((p) => p.pid).join(', ')}`);
        },
        boundMs: ERROR_MS,
        diesWhileServing: true,
      });
    case 'exit-78':
      return withGatewayEnv(ctx, {
        env: { PINCER_REFGW_EXIT_CODE: '78' },
        expected: () => [{ state: 'error', codes: ['CONFIG_INVALID'] }],
        check: ({ status }, result) => {
          if (!status.error?.repair) result.problems.push('CONFIG_INVALID without the repair that was tried');
        },
        boundMs: ERROR_MS,
      });
    case 'handshake-refused':
      return withGatewayEnv(ctx, {
        env: { PINCER_REFGW_REFUSE_HANDSHAKE: fault.refusal },
        expected: () => [{ state: 'error', codes: [REFUSAL_CODES[fault.refusal]] }],
        check: ({ status }, result) => {
          if (fault.refusal === 'pairing' && !status.error?.requestId) result.problems.push('PAIRING_REQUIRED without the request id');
        },
        boundMs: ERROR_MS,
      });
    case 'malformed':
      return withGatewayEnv(ctx, {
        env: { PINCER_REFGW_MALFORMED: '1' },
        expected: (before) => [{ state: 'running', orReconnecting: true, notPid: before.pid, env: { PINCER_REFGW_MALFORMED: '1' } }],
        // Bad frames are ignored; an oversized one ends the connection (ws closes 1009), and the
        // gateway repeats it after every handshake: the reconnects must back off, never storm.
        check: async (converged, result) => {
          const from = Date.now();
          await sleep(MALFORMED_WATCH_MS);
          const now = await ctx.status();
          const losses = ctx.recorder.marks.filter((mark) => mark.state === 'reconnecting' && mark.at >= from).length;
          result.notes.push(`${losses} connection loss(es) in ${MALFORMED_WATCH_MS} ms`);
          if (losses > MALFORMED_MAX_LOSSES)
            result.problems.push(
              `reconnect storm: ${losses} control-connection losses in ${MALFORMED_WATCH_MS} ms to a gateway sending bad frames (no backoff)`,
            );
          if (now.pid !== converged.status.pid || (now.state !== 'running' && now.state !== 'reconnecting')) {
            result.problems.push(`bad frames changed the gateway: ${converged.status.state}/${converged.status.pid} → ${now.state}/${now.pid}`);
          }
        },
        boundMs: RECOVERY_MS,
      });
    case 'foreign-port':
      return foreignPort(ctx);
    case 'time-wait':
      return timeWait(ctx, fault.timeWait, fault.finWait2);
    case 'restart-storm':
      return restartStorm(ctx, fault.requests, fault.clients);
    case 'interleave':
      return interleave(ctx, fault.steps);
    case 'twin-kill9':
      return twinKill9(ctx, fault.midRestartMs);
    case 'settings-mid-restart':
      return settingsMidRestart(ctx, fault.delayMs, fault.marker);
  }
}
