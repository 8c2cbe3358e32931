// What every fault works with: the current twin and its API, the /proc view of the run, the state
// recorder, the crash ledger, the declared outage windows — and the two judgments every fault ends
// with: "the status converged to the truth" and "the invariants hold after settle".
import { isAlive } from '../../electron/core/process/tree';
import type { GatewayStatus } from '../../electron/core/status';
import type { ApiClient } from './api';
import { CrashLedger, type CrashLoopLimit } from './crash-ledger';
import { StateRecorder } from './events';
import { checkHeldSockets, checkOneTreePerPort, checkOrphans, checkSingleGeneration, gatewayTrees, judgeTruth, type Expected } from './invariants';
import type { FailureOutcome, OutageWindow } from './outages';
import { scanRun, socketsHeldBy, type RunSnapshot, type RunTag } from './procscan';
import { Twin, type TwinSpec } from './twin';
import { pollUntil, sleep, TimeoutError } from './wait';

export interface ContextSpec {
  twin: TwinSpec;
  tag: RunTag;
  crashLoop: CrashLoopLimit;
  /** The gateway environment every generation gets when no fault is injected. */
  gatewayEnv: Record<string, string>;
  /** Scales every bound (OpenClaw starts in seconds, the reference gateway in ~200 ms). */
  slowness: number;
  /** The twin's heartbeat setting: a frozen gateway must be detected within 2× this. */
  heartbeatMs: number;
}

export interface Converged {
  ms: number;
  status: GatewayStatus;
  snapshot: RunSnapshot;
}

/** The status did not reach an accepted truth within the bound. */
export class ConvergenceFailure extends Error {}

/** The twin exited without being asked to. */
export class TwinDied extends Error {}

/** How long Pincer's sockets get to leave CLOSE_WAIT/FIN_WAIT2 (the front door's half-open bound is 10 s). */
const SOCKET_SETTLE_MS = 15_000;
/** A truth must hold this long (several polls) to count: a passing state is not convergence. */
const DWELL_MS = 150;
/** Orphans get this long to be reaped (a killed gateway's worker is killed with its group). */
const ORPHAN_SETTLE_MS = 3_000;

export class ChaosContext {
  readonly recorder = new StateRecorder();
  readonly ledger: CrashLedger;
  readonly windows: OutageWindow[] = [];
  /** Every twin started, the dead ones too (their crash output counts). */
  readonly twins: Twin[] = [];
  gatewayEnv: Record<string, string>;
  private current?: Twin;

  constructor(readonly spec: ContextSpec) {
    this.ledger = new CrashLedger(spec.crashLoop);
    this.gatewayEnv = { ...spec.gatewayEnv };
  }

  get twin(): Twin {
    if (!this.current) throw new Error('no twin running');
    return this.current;
  }

  api(): ApiClient {
    return this.twin.api;
  }

  bound(ms: number): number {
    return Math.round(ms * this.spec.slowness);
  }

  async startTwin(): Promise<Twin> {
    const twin = await Twin.start(this.spec.twin);
    this.twins.push(twin);
    this.current = twin;
    this.recorder.attach(twin.api.port, this.spec.twin.apiToken);
    // A fresh supervisor has no crash history.
    this.ledger.reset();
    return twin;
  }

  /** An outage window from now; call the returned function to close it. */
  openWindow(reason: string, covers: readonly FailureOutcome[] | 'all', from = Date.now()): (to?: number) => void {
    const window: OutageWindow = { from, to: Number.POSITIVE_INFINITY, reason, covers };
    this.windows.push(window);
    return (to = Date.now()) => {
      window.to = to;
    };
  }

  async scan(): Promise<RunSnapshot> {
    const snapshot = await scanRun(
      this.spec.tag,
      this.twins.map((t) => t.pid),
    );
    for (const info of snapshot.processes) for (const port of info.listening) this.recorder.ports.add(port);
    return snapshot;
  }

  async status(): Promise<GatewayStatus> {
    const status = await this.api().status();
    this.recorder.observe(status);
    return status;
  }

  assertTwinAlive(): void {
    const twin = this.twin;
    if (!twin.alive && !twin.intentionalExit) {
      throw new TwinDied(
        `the twin (pid ${twin.pid}) exited on its own (${twin.exit?.code ?? twin.exit?.signal}); last output: ${twin.output().slice(-1500)}`,
      );
    }
  }

  /**
   * Polls status and /proc until the status is the truth and one of `accepted`, held for DWELL_MS
   * and still held at `notBefore` (e.g. past a settings debounce, which may start another
   * generation). `since` is when the fault's last action happened: convergence is measured from
   * it to the start of the hold.
   */
  async awaitTruth(
    accepted: readonly Expected[],
    { since, boundMs, notBefore = 0 }: { since: number; boundMs: number; notBefore?: number },
  ): Promise<Converged> {
    const deadline = since + this.bound(boundMs);
    let heldSince: number | undefined;
    let firstTrueAt: number | undefined;
    let heldAnswer: string | undefined;
    let last = 'no status yet';
    for (;;) {
      this.assertTwinAlive();
      try {
        const status = await this.status();
        const snapshot = await this.scan();
        const reason = judgeTruth({ status, snapshot, twinPid: this.twin.pid }, accepted);
        const now = Date.now();
        // The dwell holds one answer: the same state and pid throughout (a live generation whose
        // control connection drops and comes back is one answer; each sample is judged anyway).
        const answer = `${status.state === 'reconnecting' ? 'running' : status.state}:${status.pid ?? '-'}`;
        if (reason === undefined && (heldAnswer === undefined || heldAnswer === answer)) {
          heldSince ??= now;
          heldAnswer = answer;
          firstTrueAt ??= status.at;
          if (now - heldSince >= DWELL_MS && now >= notBefore) return { ms: Math.max(0, firstTrueAt - since), status, snapshot };
        } else {
          heldSince = undefined;
          heldAnswer = undefined;
          firstTrueAt = undefined;
          if (reason !== undefined) last = reason;
        }
      } catch (error) {
        if (error instanceof TwinDied) throw error;
        last = `status/scan failed: ${(error as Error).message}`;
      }
      if (Date.now() > deadline) throw new ConvergenceFailure(`no truth within ${this.bound(boundMs)} ms: ${last}`);
      await sleep(40);
    }
  }

  /**
   * After a violation: kills the run's processes whose parent is gone (and their trees), so the
   * next fault is judged on its own instead of inheriting this one's leftovers. Returns their pids.
   */
  async killOrphans(): Promise<number[]> {
    const snapshot = await this.scan();
    const allowed = new Set([process.pid, ...snapshot.supervisors.map((s) => s.pid), ...snapshot.processes.map((p) => p.pid)]);
    const orphanRoots = new Set(snapshot.processes.filter((p) => !allowed.has(p.ppid)).map((p) => p.pid));
    const victims = gatewayTrees(snapshot)
      .filter((tree) => tree.members.some((m) => orphanRoots.has(m.pid)))
      .flatMap((tree) => tree.members.map((m) => m.pid));
    for (const pid of victims) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await pollUntil(async () => (victims.some(isAlive) ? undefined : true), { timeoutMs: 5_000, what: 'orphans to die' });
    return victims;
  }

  /** The invariants after settle; each returned string is one violation. */
  async settleChecks(): Promise<string[]> {
    this.assertTwinAlive();
    const problems: string[] = [];
    problems.push(...this.twins.flatMap((twin) => twin.newCrashReports().map((line) => `twin pid ${twin.pid} reported: ${line}`)));

    let sockets: string[] = [];
    try {
      await pollUntil(
        async () => {
          sockets = checkHeldSockets(await socketsHeldBy(this.twin.pid, this.recorder.ports));
          return sockets.length === 0 ? true : undefined;
        },
        { timeoutMs: SOCKET_SETTLE_MS, intervalMs: 50, what: "Pincer's sockets to settle" },
      );
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
    }
    problems.push(...sockets);

    let processes: string[] = [];
    try {
      await pollUntil(
        async () => {
          const snapshot = await this.scan();
          processes = [...checkOneTreePerPort(snapshot), ...checkSingleGeneration(snapshot), ...checkOrphans(snapshot, [process.pid])];
          return processes.length === 0 ? true : undefined;
        },
        { timeoutMs: ORPHAN_SETTLE_MS, intervalMs: 50, what: 'the process tree to settle' },
      );
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
    }
    problems.push(...processes);
    return problems;
  }
}
