// The gateway supervisor: orchestrates one gateway generation at a time through the lifecycle
// state machine. Intents meet the flows in flight in one pure decision (policy/intent.ts); the
// flows (start, stop, restart) are async functions bound to a lifecycle epoch, and a flow whose
// epoch is no longer current stops acting, so the newest intent wins. The jobs live beside it in
// supervision/: port claims and the front door, start steps, connection watch, crash recovery.
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogLine, TimelineEntry } from './api';
import { GatewayUnavailableError } from './connection/rpc';
import { gatewayError, StartFailure } from './errors';
import { buildGatewayEnv } from './gateway/env';
import type { GatewayProgram } from './gateway/programs';
import type { ExitEvent } from './launcher/types';
import { Lifecycle } from './lifecycle';
import { removePidRecord } from './pidfile';
import { decideIntent, type Flow, type IntentEvent, type IntentFacts, type PendingIntent, type RestartKind } from './policy/intent';
import { ReadinessAbortedError } from './readiness';
import { createRedactor } from './redact';
import { needsRestart } from './settings/schema';
import type { GatewayError, GatewayStatus, StartPhase } from './status';
import { StatusModel } from './status-model';
import { ConnectionWatch } from './supervision/connection-watch';
import { DEFAULT_TIMEOUTS, type SupervisionContext, type SupervisorOptions } from './supervision/context';
import { CrashRecovery } from './supervision/crash-recovery';
import { isGone, markExited, markRunning, newGeneration, type Generation } from './supervision/generation';
import { PortClaims } from './supervision/port-claim';
import { Retirements } from './supervision/retirement';
import { StartSteps } from './supervision/start-steps';

export type { LogFn, SupervisorOptions, Timeouts } from './supervision/context';

interface FlowRun {
  epoch: number;
  promise: Promise<void>;
}

export class Supervisor {
  private readonly lifecycle = new Lifecycle();
  private readonly model: StatusModel;
  private readonly context: SupervisionContext;
  private readonly ports: PortClaims;
  private readonly steps: StartSteps;
  private readonly watch: ConnectionWatch;
  private readonly recovery: CrashRecovery;
  private readonly retirements: Retirements;
  private generation?: Generation;
  /** The generation a blue/green restart is replacing; it serves until the switch. */
  private previous?: Generation;
  private startFlow?: FlowRun;
  private restartFlow?: FlowRun;
  private stopFlow?: Promise<void>;
  /** An intent queued behind the flow in flight; a stop clears it. */
  private queued?: { then: PendingIntent; promise: Promise<void> };
  /** The last completed restart, with the generation it produced. */
  private lastRestart?: NonNullable<IntentFacts['lastRestart']> & { generation: Generation };
  private debounceTimer?: NodeJS.Timeout;
  /** Aborted whenever a new epoch opens: cancels the sleeps of stale flows. */
  private epochAbort = new AbortController();

  constructor(private readonly options: SupervisorOptions) {
    const model = (this.model = new StatusModel(options.settings().gatewayPort, { kind: 'reference' }));
    this.lifecycle.onChange((next) => model.setLifecycle(next));
    const redact = createRedactor([options.token]);
    const context: SupervisionContext = (this.context = {
      options,
      timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
      model,
      redact,
      random: options.random ?? Math.random,
      log: (level, message) => {
        const text = redact(message);
        options.log(level, text);
        model.addLog({ at: Date.now(), source: 'pincer', level, text });
      },
      gatewayEnv: () => buildGatewayEnv({ base: options.baseEnv ?? process.env, token: options.token, extra: options.settings().gatewayEnv, portable: options.portable }),
      current: () => this.generation,
      epoch: () => this.lifecycle.epoch,
      isCurrent: (epoch) => this.lifecycle.isCurrent(epoch),
      sleep: (ms) => sleep(ms, undefined, { signal: this.epochAbort.signal }),
      enterRestarting: () => this.enterRestarting(),
      fail: (error) => this.fail(error),
      launchStart: (epoch) => this.launchStartFlow(epoch),
    });
    this.ports = new PortClaims(context, () => [this.generation, this.previous, ...this.retirements.generations()].flatMap((g) => g?.process?.pid ?? []));
    this.retirements = new Retirements(context, () => this.ports.door);
    this.steps = new StartSteps(context, (generation, exit) => this.onExit(generation, exit));
    this.recovery = new CrashRecovery(context);
    this.watch = new ConnectionWatch(context, this.steps, {
      enterReconnecting: () => this.lifecycle.transition({ state: 'reconnecting' }),
      enterRunning: () => this.enterRunning(),
      attachedGone: () => {
        this.generation = undefined;
        model.update({ pid: undefined, attached: false });
        this.enterRestarting();
        void this.launchStartFlow(this.openEpoch());
      },
    });
  }

  // ── queries ────────────────────────────────────────────────────────────────

  readonly status = (): GatewayStatus => this.model.snapshot();
  readonly timeline = (): TimelineEntry[] => this.model.timeline();
  readonly logs = (): LogLine[] => this.model.logs();

  onStatus(listener: (status: GatewayStatus) => void): () => void {
    this.model.on('status', listener);
    return () => this.model.off('status', listener);
  }

  onLog(listener: (line: LogLine) => void): () => void {
    this.model.on('log', listener);
    return () => this.model.off('log', listener);
  }

  /** The pid of the current gateway (for socket sampling and diagnostics). */
  gatewayPid(): number | undefined {
    return this.generation?.process?.pid;
  }

  /** Lets other parts (socket monitor, front door) add their facts to the one status. */
  report(change: Pick<Partial<GatewayStatus>, 'sockets' | 'frontDoor' | 'warnings'>): void {
    this.model.update(change);
  }

  /** Puts the front door's counters into the status (on switches, and when the service samples). */
  refreshFrontDoor(): void {
    this.ports.refresh();
  }

  /** An RPC to the gateway through the control connection. */
  request<T = unknown>(method: string, params?: unknown, options?: { timeoutMs?: number }): Promise<T> {
    const connection = this.generation?.connection;
    if (!connection || this.lifecycle.value.state !== 'running') {
      return Promise.reject(new GatewayUnavailableError(`the gateway is not connected (state: ${this.lifecycle.value.state})`));
    }
    return connection.request<T>(method, params, options);
  }

  // ── intents ────────────────────────────────────────────────────────────────

  /** Starts the gateway; joins a start already in flight. Resolves when the start flow ends. */
  start(): Promise<void> {
    return this.intend({ intent: 'start' });
  }

  /** Stops the gateway (graceful, then the tree) and never restarts it on its own. */
  stop(): Promise<void> {
    return this.intend({ intent: 'stop' });
  }

  /** Restarts the gateway; a burst of requests gives one restart (see policy/intent.ts). */
  restart(kind: RestartKind = 'full'): Promise<void> {
    return this.intend({ intent: 'restart', kind, at: Date.now(), joinRecent: true });
  }

  /**
   * The restart a settings change asks for. Coalesces bursts: any number of calls within `delayMs`
   * of each other → one restart.
   */
  debouncedRestart(delayMs: number): void {
    clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = undefined;
      void this.restartForSettings();
    }, delayMs);
  }

  /**
   * Unlike a user restart, this one must end with a generation launched with the current settings,
   * so it never just joins a restart: that flow may have launched its generation before the change.
   * It waits for a flow in flight, then restarts unless the generation has them.
   */
  private async restartForSettings(): Promise<void> {
    const inFlight = (this.restartFlow ?? this.startFlow)?.promise;
    if (inFlight) {
      await inFlight.catch(() => undefined); // its own caller hears about a failure
      const { state } = this.lifecycle.value;
      if (state === 'stopped' || state === 'stopping') return; // the next start reads the settings anyway
      const launchedWith = this.generation?.launchedWith;
      if (launchedWith && !needsRestart(launchedWith, this.options.settings())) return;
    }
    await this.intend({ intent: 'restart', kind: 'full', at: Date.now(), joinRecent: false });
  }

  private intend(event: IntentEvent): Promise<void> {
    if (event.intent === 'stop') {
      this.queued = undefined; // what was queued behind a flow is no longer wanted
      clearTimeout(this.debounceTimer);
    }
    const { restartBurstMs: burstMs, restartGraceMs: graceMs } = this.context.timeouts;
    const decision = decideIntent(this.intentFacts(), event, { burstMs, graceMs });
    switch (decision.action) {
      case 'join':
        return this.flowPromise(decision.flow) ?? Promise.resolve();
      case 'join-queued':
        return this.queued?.promise ?? Promise.resolve();
      case 'after':
        return this.enqueue(decision.flow, decision.then);
      case 'stop':
        return this.launchStop();
      case 'start':
        this.recovery.reset(); // a user start clears what automatic recovery gave up on
        return this.launchStartFlow(this.openEpoch());
      case 'restart':
        return this.launchRestart();
    }
  }

  private intentFacts(): IntentFacts {
    const current = (run?: FlowRun) => run !== undefined && this.lifecycle.isCurrent(run.epoch);
    const flow: Flow | undefined = this.stopFlow ? 'stop' : current(this.restartFlow) ? 'restart' : current(this.startFlow) ? 'start' : undefined;
    const generation = this.generation;
    return {
      state: this.lifecycle.value.state,
      flow,
      pending: this.queued?.then,
      liveGeneration: generation !== undefined && !isGone(generation),
      // A completed restart can be joined only while its generation is the current one.
      lastRestart: this.lastRestart?.generation === generation ? this.lastRestart : undefined,
    };
  }

  private flowPromise(flow: Flow | undefined): Promise<void> | undefined {
    if (flow === 'stop') return this.stopFlow;
    if (flow === 'restart') return this.restartFlow?.promise;
    return flow === 'start' ? this.startFlow?.promise : undefined;
  }

  /** Runs `then` once `flow` ends, unless a stop clears it first; callers share one promise. */
  private enqueue(flow: Flow, then: PendingIntent): Promise<void> {
    if (this.queued?.then === then) return this.queued.promise;
    const queued = {
      then,
      promise: (this.flowPromise(flow) ?? Promise.resolve()).then(() => {
        if (this.queued !== queued) return;
        this.queued = undefined;
        // Asked for while the flow ran: carried out now, not joined to a restart it preceded.
        return this.intend(then === 'start' ? { intent: 'start' } : { intent: 'restart', kind: 'full', at: Date.now(), joinRecent: false });
      }),
    };
    this.queued = queued;
    return queued.promise;
  }

  // ── flows ──────────────────────────────────────────────────────────────────

  private openEpoch(): number {
    this.epochAbort.abort();
    this.epochAbort = new AbortController();
    return this.lifecycle.newEpoch();
  }

  private launchStop(): Promise<void> {
    const epoch = this.openEpoch();
    const stop = (this.stopFlow = this.runStop(epoch).finally(() => {
      if (this.stopFlow === stop) this.stopFlow = undefined;
    }));
    return stop;
  }

  private launchRestart(): Promise<void> {
    const epoch = this.openEpoch();
    const promise = this.runRestart(epoch, Date.now()).finally(() => {
      if (this.restartFlow?.promise === promise) this.restartFlow = undefined;
    });
    this.restartFlow = { epoch, promise };
    return promise;
  }

  private launchStartFlow(epoch: number): Promise<void> {
    const promise = this.runStart(epoch).finally(() => {
      if (this.startFlow?.promise === promise) this.startFlow = undefined;
    });
    this.startFlow = { epoch, promise };
    return promise;
  }

  private async runStop(epoch: number): Promise<void> {
    if (this.lifecycle.value.state === 'stopped') return;
    this.lifecycle.transition({ state: 'stopping' });
    await Promise.all([this.retireGeneration(), this.retirePrevious()]);
    await this.ports.closeDoor();
    // Every other intent waits for a stop in progress, so nothing else leaves 'stopping'.
    if (this.lifecycle.isCurrent(epoch)) this.lifecycle.transition({ state: 'stopped' });
  }

  private async runRestart(epoch: number, requestedAt: number): Promise<void> {
    this.enterRestarting();
    this.model.update({ restarts: this.model.current.restarts + 1 });
    const serving = this.generation;
    const door = this.ports.door;
    const behindDoor = door !== undefined && serving?.process !== undefined && !isGone(serving) && this.options.settings().frontDoor;
    if (behindDoor && serving.program.sideBySide) {
      // Blue/green: the serving generation keeps answering until the next one is ready and the
      // door has switched to it; only then is it stopped (runStart retires it).
      this.generation = undefined;
      this.previous = serving;
    } else {
      // One at a time: new connections wait at the door while the gateway is replaced.
      if (behindDoor) door.hold();
      await this.retireGeneration();
    }
    if (!this.lifecycle.isCurrent(epoch)) return;
    this.recovery.resetBackoff();
    await this.launchStartFlow(epoch);
    const generation = this.generation;
    if (this.lifecycle.isCurrent(epoch) && generation?.runningSince !== undefined) {
      this.lastRestart = { requestedAt, runningAt: generation.runningSince, generation };
    }
    // A restart is done when the generation it replaced is gone too.
    await this.retirePrevious();
  }

  private async runStart(epoch: number): Promise<void> {
    const current = () => this.lifecycle.isCurrent(epoch);
    try {
      const launchedWith = this.options.settings();
      const { gatewayPort: publicPort, frontDoor } = launchedWith;
      this.model.update({ port: publicPort });
      this.enterStarting('probing-port');
      // A start from `error` may find its failed generation still alive (e.g. refused our token).
      await this.retireGeneration();
      if (!current()) return;
      const program = this.resolveProgram();
      this.model.update({ gateway: { kind: program.kind, source: program.source, version: program.version } });

      const publicVerdict = this.ports.holds(publicPort) && frontDoor ? undefined : await this.ports.claimPublicPort(publicPort, frontDoor, current);
      if (!current()) return;
      let generation: Generation;
      if (publicVerdict?.kind === 'attach') {
        generation = this.attach(program, publicPort, publicVerdict.pid);
      } else {
        // Behind the door each generation gets an internal port of its own; without it, the public one.
        const port = this.ports.door ? await this.ports.claimInternalPort(current) : publicPort;
        if (!current()) return;
        this.enterStarting('spawning');
        generation = this.generation = this.steps.spawn(program, port);
        await this.steps.untilReady(generation, epoch, () => this.enterStarting('waiting-ready'));
      }
      if (!current()) return;
      generation.launchedWith = launchedWith;

      this.enterStarting('connecting');
      const connection = await this.steps.connectWithRetry(generation, epoch);
      if (!connection) return;
      this.watch.adopt(generation, connection, false);
      if (generation.process) this.ports.door?.setTarget(generation.port);
      this.model.update({ startedAt: Date.now(), reconnectAttempts: 0 });
      this.ports.refresh();
      this.enterRunning();
    } catch (error) {
      if (!current()) return;
      if (error instanceof StartFailure) return this.fail(error.error);
      if (error instanceof ReadinessAbortedError) return; // the exit handler owns what comes next
      this.log('error', `start failed: ${(error as Error).stack ?? error}`);
      this.fail(gatewayError('SPAWN_FAILED', (error as Error).message));
    } finally {
      // Blue/green: the replaced generation goes once the new one serves — or the start failed.
      if (this.previous) void this.retirePrevious();
    }
  }

  /** A healthy gateway already on the public port: used, never owned (no process to stop). */
  private attach(program: GatewayProgram, port: number, pid: number | undefined): Generation {
    this.log('info', `a healthy gateway already listens on port ${port} (pid ${pid ?? 'unknown'}); attaching instead of starting another`);
    const generation = (this.generation = newGeneration(program, port));
    this.model.update({ pid, attached: true });
    return generation;
  }

  /** Stops the current generation on purpose and forgets it; resolves when every retirement is done. */
  private retireGeneration(): Promise<void> {
    const generation = this.generation;
    this.generation = undefined;
    return this.retirements.retire(generation);
  }

  /** The generation a blue/green restart replaced, once the door no longer sends it anything. */
  private retirePrevious(): Promise<void> {
    const previous = this.previous;
    this.previous = undefined;
    return this.retirements.retire(previous, { drain: true });
  }

  private onExit(generation: Generation, exit: ExitEvent): void {
    markExited(generation);
    const at = Date.now();
    const pid = generation.process?.pid;
    if (pid) removePidRecord(this.options.dataDir, pid);
    const requested = generation.status === 'retired';
    this.log(requested ? 'info' : 'warn', `gateway exited (code ${exit.code}, signal ${exit.signal})`);
    this.model.update({ lastExit: { code: exit.code, signal: exit.signal, at } });
    if (this.generation !== generation) return; // an older generation we already let go
    this.generation = undefined;
    // New connections wait at the door for the next generation instead of being refused.
    this.ports.door?.hold();
    void generation.connection?.close();
    this.model.update({ pid: undefined, startedAt: undefined });
    const { state } = this.lifecycle.value;
    if (requested || state === 'stopping' || state === 'stopped' || state === 'error') return;
    this.recovery.onUnexpectedExit(generation, exit, at, this.openEpoch());
  }

  // ── states: each entered here only ─────────────────────────────────────────

  private enterStarting(phase: StartPhase): void {
    this.lifecycle.transition({ state: 'starting', phase });
  }

  private enterRunning(): void {
    if (this.generation) markRunning(this.generation, Date.now());
    this.lifecycle.transition({ state: 'running' });
  }

  private enterRestarting(): void {
    if (this.lifecycle.value.state !== 'restarting') this.lifecycle.transition({ state: 'restarting' });
  }

  private fail(error: GatewayError): void {
    this.log('error', `${error.code}: ${error.message}`);
    this.lifecycle.transition({ state: 'error', error });
  }

  // ── helpers ────────────────────────────────────────────────────────────────

  private resolveProgram(): GatewayProgram {
    try {
      return this.options.program();
    } catch (error) {
      throw new StartFailure(gatewayError('GATEWAY_NOT_FOUND', (error as Error).message));
    }
  }

  private log(level: LogLine['level'], message: string): void {
    this.context.log(level, message);
  }
}
