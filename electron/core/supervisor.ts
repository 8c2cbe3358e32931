// The gateway supervisor: orchestrates one gateway generation at a time through the lifecycle
// state machine. Intents meet the flows in flight in one pure decision (policy/intent.ts); the
// flows (start, stop, restart) are async functions bound to a lifecycle epoch, and a flow whose
// epoch is no longer current stops acting, so the newest intent wins. The jobs live beside it in
// supervision/: port claims and the front door, start steps, connection watch, crash recovery.
import type { LogLine, TimelineEntry } from './api';
import { GatewayUnavailableError } from './connection/rpc';
import { gatewayError, StartFailure } from './errors';
import type { ExitEvent } from './launcher/types';
import { Lifecycle } from './lifecycle';
import { decideIntent, type IntentEvent, type IntentFacts, type RestartKind } from './policy/intent';
import { ReadinessAbortedError } from './readiness';
import type { GatewayError, GatewayStatus, StartPhase } from './status';
import { StatusModel } from './status-model';
import { ConnectionWatch } from './supervision/connection-watch';
import { createSupervisionContext, type SupervisionContext, type SupervisorOptions } from './supervision/context';
import { CrashRecovery } from './supervision/crash-recovery';
import { OwnMeans } from './supervision/own-means';
import { FlowTracker } from './supervision/flows';
import { isGone, markRunning, type Generation } from './supervision/generation';
import { PortClaims } from './supervision/port-claim';
import { Retirements } from './supervision/retirement';
import { SettingsRestart } from './supervision/settings-restart';
import { StartSteps } from './supervision/start-steps';

export type { LogFn, SupervisorOptions, Timeouts } from './supervision/context';

export class Supervisor {
  private readonly lifecycle = new Lifecycle();
  private readonly model: StatusModel;
  private readonly context: SupervisionContext;
  private readonly ports: PortClaims;
  private readonly steps: StartSteps;
  private readonly watch: ConnectionWatch;
  private readonly recovery: CrashRecovery;
  private readonly retirements: Retirements;
  private readonly settingsRestart: SettingsRestart;
  private readonly ownMeans: OwnMeans;
  private generation?: Generation;
  /** The generation a blue/green restart is replacing; it serves until the switch. */
  private previous?: Generation;
  private readonly flows = new FlowTracker((epoch) => this.lifecycle.isCurrent(epoch));
  /** Aborted whenever a new epoch opens: cancels the sleeps of stale flows. */
  private epochAbort = new AbortController();

  constructor(private readonly options: SupervisorOptions) {
    const model = (this.model = new StatusModel(options.settings().gatewayPort, { kind: 'reference' }));
    this.lifecycle.onChange((next) => model.setLifecycle(next));
    const context = (this.context = createSupervisionContext(options, model, () => this.epochAbort.signal, {
      current: () => this.generation,
      epoch: () => this.lifecycle.epoch,
      isCurrent: (epoch) => this.lifecycle.isCurrent(epoch),
      enterRestarting: () => this.enterRestarting(),
      fail: (error) => this.fail(error),
      launchStart: (epoch) => this.launchStartFlow(epoch),
    }));
    this.ports = new PortClaims(context, () =>
      [this.generation, this.previous, ...this.retirements.generations()].flatMap((g) => g?.process?.pid ?? []),
    );
    this.retirements = new Retirements(context, () => this.ports.door);
    this.steps = new StartSteps(context, (generation, exit, at) => this.onExit(generation, exit, at));
    this.recovery = new CrashRecovery(context);
    this.ownMeans = new OwnMeans(context);
    this.settingsRestart = new SettingsRestart({
      flows: this.flows,
      settings: options.settings,
      state: () => this.lifecycle.value.state,
      current: () => this.generation,
      restart: () => this.intend({ intent: 'restart', kind: 'full', at: Date.now(), joinRecent: false }),
    });
    this.watch = new ConnectionWatch(context, this.steps, {
      enterReconnecting: () => this.lifecycle.transition({ state: 'reconnecting' }),
      enterRunning: () => this.enterRunning(),
      attachedGone: () => {
        this.generation = undefined;
        model.update({ pid: undefined, attached: false, external: undefined });
        this.enterRestarting();
        void this.launchStartFlow(this.openEpoch());
      },
    });
  }

  // ── queries ────────────────────────────────────────────────────────────────

  readonly status = (): GatewayStatus => this.model.snapshot();
  readonly timeline = (): TimelineEntry[] => this.model.timeline();
  readonly logs = (): LogLine[] => this.model.logs();

  readonly onStatus = (listener: (status: GatewayStatus) => void): (() => void) => this.model.subscribe('status', listener);
  readonly onLog = (listener: (line: LogLine) => void): (() => void) => this.model.subscribe('log', listener);

  /** The pid of the current gateway (for socket sampling and diagnostics). */
  gatewayPid(): number | undefined {
    return this.generation?.process?.pid;
  }

  /** Lets other parts (socket monitor, front door) add their facts to the one status. */
  readonly report = (change: Pick<Partial<GatewayStatus>, 'sockets' | 'frontDoor' | 'warnings' | 'services'>): void => this.model.update(change);
  /** Puts the front door's counters into the status (on switches, and when the service samples). */
  readonly refreshFrontDoor = (): void => this.ports.refresh();

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

  /** Stops the gateway (graceful, then the tree) and never restarts it on its own. An attached one is let go. */
  stop(): Promise<void> {
    return this.intend({ intent: 'stop' });
  }

  /**
   * The user's Stop on an attached gateway OpenClaw's service runs: `openclaw gateway stop` first
   * (never on Pincer's own shutdown: quitting Pincer leaves the user's service alone).
   */
  async stopExternalService(): Promise<void> {
    if (this.generation && !this.generation.process) await this.ownMeans.stopExternal(this.generation);
  }

  /**
   * Restarts the gateway; a burst of requests gives one restart (see policy/intent.ts). 'auto' lets
   * a healthy OpenClaw restart in-process (see supervision/own-means.ts).
   */
  restart(kind: RestartKind = 'full'): Promise<void> {
    return this.intend({ intent: 'restart', kind, at: Date.now(), joinRecent: true });
  }

  /** The restart a settings change asks for: bursts of changes within `delayMs` → one restart. */
  debouncedRestart(delayMs: number): void {
    this.settingsRestart.schedule(delayMs);
  }

  private intend(event: IntentEvent): Promise<void> {
    if (event.intent === 'stop') {
      this.flows.clearQueued(); // what was queued behind a flow is no longer wanted
      this.settingsRestart.cancel();
    }
    const { restartBurstMs: burstMs, restartGraceMs: graceMs } = this.context.timeouts;
    const decision = decideIntent(this.intentFacts(), event, { burstMs, graceMs });
    switch (decision.action) {
      case 'join':
        return this.flows.promise(decision.flow);
      case 'join-queued':
        return this.flows.queuedPromise();
      case 'after':
        // Asked for while the flow ran: decided again once it has ended.
        return this.flows.enqueue(decision.flow, decision.then, (then) => this.intend(then === 'start' ? { intent: 'start' } : event));
      case 'stop':
        return this.launchStop();
      case 'start':
        this.recovery.reset(); // a user start clears what automatic recovery gave up on
        return this.launchStartFlow(this.openEpoch());
      case 'restart':
        // Only a user's restart starts a burst that later requests may join.
        return this.launchRestart(decision.kind, event.intent === 'restart' && event.joinRecent ? event.at : undefined);
    }
  }

  private intentFacts(): IntentFacts {
    const generation = this.generation;
    return {
      state: this.lifecycle.value.state,
      flow: this.flows.inFlight(),
      pending: this.flows.pending(),
      liveGeneration: generation !== undefined && !isGone(generation),
      lastRestart: this.flows.lastRestartOf(generation),
    };
  }

  // ── flows ──────────────────────────────────────────────────────────────────

  private openEpoch(): number {
    this.epochAbort.abort();
    this.epochAbort = new AbortController();
    return this.lifecycle.newEpoch();
  }

  private launchStop(): Promise<void> {
    const epoch = this.openEpoch();
    return this.flows.track('stop', epoch, this.runStop(epoch));
  }

  private launchRestart(kind: RestartKind, burstAt: number | undefined): Promise<void> {
    const epoch = this.openEpoch();
    return this.flows.track('restart', epoch, this.runRestart(epoch, kind, burstAt));
  }

  private launchStartFlow(epoch: number): Promise<void> {
    return this.flows.track('start', epoch, this.runStart(epoch));
  }

  private async runStop(epoch: number): Promise<void> {
    if (this.lifecycle.value.state === 'stopped') return;
    this.lifecycle.transition({ state: 'stopping' });
    await Promise.all([this.retireGeneration(), this.retirePrevious()]);
    await this.ports.closeDoor();
    // Every other intent waits for a stop in progress, so nothing else leaves 'stopping'.
    if (this.lifecycle.isCurrent(epoch)) this.lifecycle.transition({ state: 'stopped' });
  }

  private async runRestart(epoch: number, kind: RestartKind, burstAt: number | undefined): Promise<void> {
    const requestedAt = Date.now();
    const serving = this.generation;
    // The gateway's own restart first, when it has one (decided before the state says restarting).
    const own = serving && !isGone(serving) ? await this.ownMeans.restart(serving, kind === 'full') : { outcome: 'full' as const };
    if (!this.lifecycle.isCurrent(epoch) || own.outcome === 'superseded') return;
    if (own.outcome === 'refused') {
      this.context.log('warn', `restart refused: ${own.reason}`);
      return;
    }
    this.model.update({ restarts: this.model.current.restarts + 1 });
    if (own.outcome === 'done') {
      this.model.update({ lastRestart: { kind: own.kind, at: requestedAt, durationMs: own.ms, ...(own.reason ? { reason: own.reason } : {}) } });
      if (burstAt !== undefined && this.generation) this.flows.restartCompleted(burstAt, this.generation);
      return;
    }
    this.enterRestarting();
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
    if (this.lifecycle.isCurrent(epoch) && this.lifecycle.value.state === 'running') {
      this.model.update({
        lastRestart: { kind: 'full', at: requestedAt, durationMs: Date.now() - requestedAt, ...(own.reason ? { reason: own.reason } : {}) },
      });
    }
    if (burstAt !== undefined && this.lifecycle.isCurrent(epoch) && this.generation) this.flows.restartCompleted(burstAt, this.generation);
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
      const program = this.steps.program();
      this.model.update({ gateway: { kind: program.kind, source: program.source, version: program.version, ...program.details } });

      const claim = await this.ports.claimForStart(publicPort, frontDoor, current);
      if (!current()) return;
      let generation: Generation;
      if (claim.kind === 'attach') {
        generation = this.generation = this.ownMeans.attach(program, publicPort, claim.pid);
      } else {
        this.enterStarting('spawning');
        generation = this.generation = this.steps.spawn(program, claim.port);
        await this.steps.untilReady(generation, epoch, () => this.enterStarting('waiting-ready'));
        // Clients go through as soon as it is ready, not only once Pincer's own connection is up: a
        // user's CLI must reach their gateway even if Pincer cannot sign in (it would time out at the door).
        if (current()) this.ports.door?.setTarget(generation.port);
      }
      if (!current()) return;
      generation.launchedWith = launchedWith;

      this.enterStarting('connecting');
      const connection = await this.steps.connectWithRetry(generation, epoch);
      if (!connection) return;
      this.watch.adopt(generation, connection, false);
      this.model.update({ startedAt: Date.now(), reconnectAttempts: 0 });
      this.ports.refresh();
      this.enterRunning();
    } catch (error) {
      if (!current()) return;
      if (error instanceof StartFailure) return this.fail(error.error);
      if (error instanceof ReadinessAbortedError) return; // the exit handler owns what comes next
      this.context.log('error', `start failed: ${(error as Error).stack ?? error}`);
      this.fail(gatewayError('SPAWN_FAILED', (error as Error).message));
    } finally {
      // Blue/green: the replaced generation goes once the new one serves — or the start failed.
      if (this.previous) void this.retirePrevious();
    }
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

  /** After StartSteps recorded the exit: what it means for the supervisor. */
  private onExit(generation: Generation, exit: ExitEvent, at: number): void {
    if (this.generation !== generation) return; // an older generation we already let go
    this.generation = undefined;
    // New connections wait at the door for the next generation instead of being refused.
    this.ports.door?.hold();
    void generation.connection?.close();
    this.model.update({ pid: undefined, startedAt: undefined });
    const { state } = this.lifecycle.value;
    if (generation.status === 'retired' || state === 'stopping' || state === 'stopped' || state === 'error') return;
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
    this.context.log('error', `${error.code}: ${error.message}`);
    this.lifecycle.transition({ state: 'error', error });
  }
}
