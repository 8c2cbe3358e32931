// The gateway supervisor: drives one gateway generation at a time through the lifecycle state
// machine. Flows (start, stop, restart, reconnect) are async functions bound to a lifecycle
// epoch; a flow whose epoch is no longer current stops acting, so the newest intent wins.
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogLine, TimelineEntry } from './api';
import { GatewayUnavailableError } from './connection/rpc';
import { ConnectError, type ConnectOptions, type ControlConnection, type ConnectionLoss } from './connection/types';
import { createFrontDoor, FrontDoorListenError, type FrontDoor } from './frontdoor';
import { gatePort } from './gate';
import { connectCredential } from './gateway/credential';
import { buildGatewayEnv, type PortableGatewayDirs } from './gateway/env';
import type { GatewayProgram } from './gateway/programs';
import { GatewayNotFoundError } from './gateway/resolve';
import type { ExitEvent, GatewayProcess, Launcher } from './launcher/types';
import { Lifecycle, type LifecycleState } from './lifecycle';
import { addPidRecord, removePidRecord } from './pidfile';
import { attemptsAfterRun, backoffDelay, type BackoffPolicy } from './policy/backoff';
import { isCrashLoop, recordUnexpectedExit } from './policy/crash-loop';
import { decideOnExit } from './policy/exit-policy';
import type { PortVerdict } from './policy/port-verdict';
import { pickFreePort } from './port/free-port';
import { findPortOwner } from './port/owner';
import { probePort } from './port/probe';
import { isAlive, killTree, processIdentity } from './process/tree';
import { ReadinessAbortedError, ReadinessTimeoutError, waitForReady } from './readiness';
import { createOutputThrottle } from './output-throttle';
import { createRedactor, type Redactor } from './redact';
import { needsRestart, type Settings } from './settings/schema';
import type { GatewayError, GatewayErrorCode, GatewayStatus, StartPhase } from './status';
import { StatusModel } from './status-model';

export type LogFn = (level: LogLine['level'], message: string) => void;

export interface SupervisorOptions {
  dataDir: string;
  launcher: Launcher;
  settings: () => Settings;
  /** Resolves the gateway program for the next start; throws GatewayNotFoundError. */
  program: () => GatewayProgram;
  token: string;
  /** Other secrets to redact (the user's gateway token or password, once known). */
  secrets?: () => readonly string[];
  connect: (options: ConnectOptions) => Promise<ControlConnection>;
  clientVersion: string;
  log: LogFn;
  /** The environment the gateway's is built from (default: process.env). */
  baseEnv?: Readonly<Record<string, string | undefined>>;
  /** Portable mode: the folders OpenClaw's state and caches go to. */
  portable?: PortableGatewayDirs;
  timeouts?: Partial<Timeouts>;
  random?: () => number;
}

export interface Timeouts {
  /** Spawn to /readyz 200 (OpenClaw takes 5–9 s here; allow for slow disks). */
  readyMs: number;
  /** Poll interval while waiting for readiness: the floor of recovery time. */
  readyPollMs: number;
  /** Graceful stop before the tree is killed. */
  stopGraceMs: number;
  /** A listener found on the port gets this long to answer the protocol. */
  answerMs: number;
  handshakeMs: number;
  /** A gateway repair command (exit 78) gets this long. */
  repairMs: number;
  /** An orphan reclaimed from a previous run must free the port within this. */
  reclaimMs: number;
}

/** Gateway output lines kept (logged, shown, tailed) per second; the rest are counted. */
const GATEWAY_LINES_PER_SECOND = 2_000;

/** How long a replaced generation may take to answer what was already sent to it. */
const DRAIN_TIMEOUT_MS = 5_000;

const DEFAULT_TIMEOUTS: Timeouts = {
  readyMs: 90_000,
  readyPollMs: 25,
  stopGraceMs: 5_000,
  answerMs: 2_000,
  handshakeMs: 10_000,
  repairMs: 120_000,
  reclaimMs: 10_000,
};

/** One gateway process (or one attached gateway) and its control connection. */
interface Generation {
  program: GatewayProgram;
  port: number;
  process?: GatewayProcess;
  spawnedAt: number;
  exited: boolean;
  /** Set before we stop it ourselves, so its exit is not mistaken for a crash. */
  stopRequested: boolean;
  connection?: ControlConnection;
  connectedAt?: number;
  /** A gateway Pincer found running and uses without owning it. */
  attached?: boolean;
  /** Consecutive connection losses without a stable connection between: sets the backoff. */
  lossStreak: number;
  /** The settings its start flow began with: a later change that needs a restart is not in it. */
  launchedWith?: Settings;
}

/** A start failure the user must act on: the flow ends in `error`, no automatic retry. */
class StartFailure extends Error {
  constructor(readonly error: GatewayError) {
    super(error.message);
  }
}

const HINTS: Record<GatewayErrorCode, string> = {
  PORT_IN_USE: 'Stop the program holding the port, or choose another gateway port in settings.',
  PORT_HUNG: 'A process holds the port but does not answer; stop it, or choose another port.',
  CRASH_LOOP: 'The gateway keeps crashing right after start; read its last output below, fix the cause, then Retry.',
  CONFIG_INVALID: "The gateway refused its configuration (exit 78) and the automatic repair didn't fix it; check its config file.",
  AUTH_FAILED: "The gateway rejected Pincer's token; if you changed the gateway's token yourself, set the same one for Pincer or remove yours.",
  PAIRING_REQUIRED: 'Approve this device in the gateway (pairing request shown), then Retry.',
  PROTOCOL_MISMATCH: 'This gateway speaks another protocol version; update the gateway or Pincer.',
  START_TIMEOUT: 'The gateway started but never became ready; read its output below.',
  SPAWN_FAILED: 'The gateway program could not be started; check the gateway path and Node runtime in settings.',
  GATEWAY_NOT_FOUND: 'Install OpenClaw with `npm run gateway:openclaw`, set its path in settings, or choose the reference gateway.',
  NODE_TOO_OLD: 'Install the Node version named above (or set a suitable Node path in settings), then Retry.',
  SETTINGS_INVALID: 'Fix the settings named in the message.',
};

export function gatewayError(code: GatewayErrorCode, message: string, extra: Partial<GatewayError> = {}): GatewayError {
  return { code, message, hint: HINTS[code], ...extra };
}

export class Supervisor {
  private readonly lifecycle = new Lifecycle();
  private readonly model: StatusModel;
  private readonly timeouts: Timeouts;
  private readonly random: () => number;
  private generation?: Generation;
  private startFlow?: { epoch: number; promise: Promise<void> };
  /** What the user asked for last; a start queued behind a stop gives way to a later stop. */
  private desired: 'running' | 'stopped' = 'stopped';
  private stopFlow?: Promise<void>;
  private restartFlow?: Promise<void>;
  private restartWhenStarted = false;
  private readonly retirements = new Set<Promise<void>>();
  /** Generations being stopped on purpose: still ours while they go. */
  private readonly retiring = new Set<Generation>();
  /** Pincer's listener on the public port, when the front door is on. */
  private door?: FrontDoor;
  /** The generation a blue/green restart is replacing; it serves until the switch. */
  private previous?: Generation;
  private debounceTimer?: NodeJS.Timeout;
  /** Aborted whenever a new epoch opens: cancels the sleeps of stale flows. */
  private epochAbort = new AbortController();
  private attempts = 0;
  private crashHistory: number[] = [];
  private repairAttempted = false;
  private lastRepair?: GatewayError['repair'];
  private readonly redact: Redactor;

  constructor(private readonly options: SupervisorOptions) {
    this.redact = (text) => createRedactor([options.token, ...(options.secrets?.() ?? [])])(text);
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.random = options.random ?? Math.random;
    this.model = new StatusModel(options.settings().gatewayPort, { kind: 'reference' });
    this.lifecycle.onChange((next) => this.model.setLifecycle(next));
  }

  // ── queries ────────────────────────────────────────────────────────────────

  status(): GatewayStatus {
    return this.model.snapshot();
  }

  onStatus(listener: (status: GatewayStatus) => void): () => void {
    this.model.on('status', listener);
    return () => this.model.off('status', listener);
  }

  onLog(listener: (line: LogLine) => void): () => void {
    this.model.on('log', listener);
    return () => this.model.off('log', listener);
  }

  timeline(): TimelineEntry[] {
    return this.model.timeline();
  }

  logs(): LogLine[] {
    return this.model.logs();
  }

  /** The pids of the current gateway (for socket sampling and diagnostics). */
  gatewayPid(): number | undefined {
    return this.generation?.process?.pid;
  }

  /** Lets other parts (socket monitor, front door) add their facts to the one status. */
  report(change: Pick<Partial<GatewayStatus>, 'sockets' | 'frontDoor' | 'warnings' | 'services'>): void {
    this.model.update(change);
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
  async start(): Promise<void> {
    this.desired = 'running';
    if (this.stopFlow) {
      await this.stopFlow;
      if (this.desired !== 'running') return; // a later stop() won
    }
    if (this.startFlow && this.lifecycle.isCurrent(this.startFlow.epoch)) return this.startFlow.promise;
    if (this.restartFlow) return this.restartFlow;
    const { state } = this.lifecycle.value;
    if (state === 'running' || state === 'reconnecting') return;
    // An in-process restart of a live gateway is already being recovered.
    if (state === 'restarting' && this.generation && !this.generation.exited) return;
    // A user start clears what automatic recovery gave up on.
    this.crashHistory = [];
    this.attempts = 0;
    this.repairAttempted = false;
    return this.launchStartFlow(this.openEpoch());
  }

  /** Stops the gateway (graceful, then the tree) and never restarts it on its own. */
  stop(): Promise<void> {
    this.desired = 'stopped';
    if (this.stopFlow) return this.stopFlow;
    const epoch = this.openEpoch();
    this.restartWhenStarted = false;
    clearTimeout(this.debounceTimer);
    this.stopFlow = this.runStop(epoch).finally(() => {
      this.stopFlow = undefined;
    });
    return this.stopFlow;
  }

  /**
   * Restarts the gateway. Concurrent calls join the restart in flight; a restart asked for while
   * starting is deferred until the start ends, not lost; during a stop it means start afterwards.
   */
  restart(_options: { full?: boolean } = {}): Promise<void> {
    this.desired = 'running';
    if (this.restartFlow) return this.restartFlow;
    if (this.stopFlow) return this.start();
    const { state } = this.lifecycle.value;
    if (state === 'starting' && this.startFlow && this.lifecycle.isCurrent(this.startFlow.epoch)) {
      this.restartWhenStarted = true;
      return this.startFlow.promise;
    }
    if (state === 'stopped' || state === 'error') return this.start();
    const epoch = this.openEpoch();
    this.restartFlow = this.runRestart(epoch).finally(() => {
      this.restartFlow = undefined;
    });
    return this.restartFlow;
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
   * so it never just joins a start or restart in flight: that flow may have launched its generation
   * before the change. It waits for it, then restarts again unless the new generation has them.
   */
  private async restartForSettings(): Promise<void> {
    const inFlight = this.restartFlow ?? this.startFlow?.promise;
    if (!inFlight) return this.restart();
    await inFlight.catch(() => undefined); // its own caller hears about a failure
    if (this.desired !== 'running') return; // stopped meanwhile: the next start reads the settings anyway
    const launchedWith = this.generation?.launchedWith;
    if (launchedWith && !needsRestart(launchedWith, this.options.settings())) return;
    await this.restart();
  }

  // ── flows ──────────────────────────────────────────────────────────────────

  private openEpoch(): number {
    this.epochAbort.abort();
    this.epochAbort = new AbortController();
    return this.lifecycle.newEpoch();
  }

  private launchStartFlow(epoch: number): Promise<void> {
    const promise = this.runStart(epoch).finally(() => {
      if (this.startFlow?.promise === promise) this.startFlow = undefined;
      if (this.restartWhenStarted && this.lifecycle.isCurrent(epoch)) {
        this.restartWhenStarted = false;
        void this.restart();
      }
    });
    this.startFlow = { epoch, promise };
    return promise;
  }

  private async runStop(epoch: number): Promise<void> {
    const { state } = this.lifecycle.value;
    if (state === 'stopped') return;
    this.transition({ state: 'stopping' });
    await Promise.all([this.retireGeneration(), this.retirePrevious()]);
    await this.closeDoor();
    // Every other intent waits for a stop in progress, so nothing else leaves 'stopping'.
    if (this.lifecycle.isCurrent(epoch)) this.transition({ state: 'stopped' });
  }

  private async runRestart(epoch: number): Promise<void> {
    if (this.lifecycle.value.state !== 'restarting') this.transition({ state: 'restarting' });
    this.model.update({ restarts: this.model.current.restarts + 1 });
    const serving = this.generation;
    const behindDoor = this.door !== undefined && serving?.process !== undefined && !serving.exited && this.options.settings().frontDoor;
    if (behindDoor && serving.program.sideBySide) {
      // Blue/green: the serving generation keeps answering until the next one is ready and the
      // door has switched to it; only then is it stopped (runStart retires it).
      this.generation = undefined;
      this.previous = serving;
    } else {
      // One at a time: new connections wait at the door while the gateway is replaced.
      if (behindDoor) this.door?.hold();
      await this.retireGeneration();
    }
    if (!this.lifecycle.isCurrent(epoch)) return;
    this.attempts = 0;
    await this.launchStartFlow(epoch);
    // A restart is done when the generation it replaced is gone too.
    await this.retirePrevious();
  }

  /**
   * Stops the current generation on purpose (its exit is not a crash) and forgets it. Resolves
   * when every generation being retired (also by a concurrent flow) is gone.
   */
  private retireGeneration(): Promise<void> {
    const generation = this.generation;
    this.generation = undefined;
    return this.retire(generation);
  }

  /** The generation a blue/green restart replaced, once the door no longer sends it anything. */
  private retirePrevious(): Promise<void> {
    const previous = this.previous;
    this.previous = undefined;
    return this.retire(previous, { drain: true });
  }

  private retire(generation: Generation | undefined, { drain = false } = {}): Promise<void> {
    if (generation) {
      // Still ours while it goes: a concurrent start must not take it for an orphan.
      this.retiring.add(generation);
      const retirement = (async () => {
        // Requests already on their way to it get their answers before it goes.
        if (drain) await this.door?.drained(generation.port, DRAIN_TIMEOUT_MS);
        await this.stopGeneration(generation);
      })().finally(() => {
        this.retiring.delete(generation);
        this.retirements.delete(retirement);
        if (!this.generation) this.model.update({ pid: undefined, attached: false, startedAt: undefined });
      });
      this.retirements.add(retirement);
    }
    return Promise.all(this.retirements).then(() => undefined);
  }

  private async stopGeneration(generation: Generation): Promise<void> {
    generation.stopRequested = true;
    await generation.connection?.close();
    // An attached gateway is not ours to stop.
    if (generation.process && !generation.exited) {
      try {
        await generation.process.stop({ graceMs: this.timeouts.stopGraceMs });
      } catch (error) {
        this.log('error', `gateway pid ${generation.process.pid} did not exit: ${(error as Error).message}`);
      }
    }
  }

  private async runStart(epoch: number): Promise<void> {
    const current = () => this.lifecycle.isCurrent(epoch);
    try {
      const launchedWith = this.options.settings();
      const { gatewayPort: publicPort, frontDoor } = launchedWith;
      this.model.update({ port: publicPort });
      this.phase('probing-port');
      // A start from `error` may find its failed generation still alive (e.g. refused our token).
      await this.retireGeneration();
      if (!current()) return;
      const program = this.resolveProgram();
      this.model.update({ gateway: { kind: program.kind, source: program.source, version: program.version, ...program.details } });

      let generation: Generation;
      const publicVerdict = this.door?.status().listenPort === publicPort && frontDoor ? undefined : await this.claimPublicPort(publicPort, frontDoor, epoch);
      if (!current()) return;
      if (publicVerdict?.kind === 'attach') {
        this.log('info', `a healthy gateway already listens on port ${publicPort} (pid ${publicVerdict.pid ?? 'unknown'}); attaching instead of starting another`);
        generation = { program, port: publicPort, spawnedAt: Date.now(), exited: false, stopRequested: false, lossStreak: 0, attached: true };
        this.generation = generation;
        this.model.update({ pid: publicVerdict.pid, attached: true });
      } else {
        // Behind the door each generation gets an internal port of its own; without it, the public one.
        const port = this.door ? await this.claimInternalPort(epoch) : publicPort;
        if (!current()) return;
        generation = await this.spawnUntilReady(program, port, epoch);
      }
      if (!current()) return;
      generation.launchedWith = launchedWith;

      this.phase('connecting');
      const connection = await this.connectWithRetry(generation, epoch);
      if (!connection) return;
      this.adopt(generation, connection, false);
      if (this.door && !generation.attached) this.door.setTarget(generation.port);
      this.model.update({ startedAt: Date.now(), reconnectAttempts: 0 });
      this.refreshFrontDoor();
      this.transition({ state: 'running' });
    } catch (error) {
      if (!current()) return;
      if (error instanceof StartFailure) {
        this.fail(error.error);
        return;
      }
      if (error instanceof ReadinessAbortedError) return; // the exit handler owns what comes next
      this.log('error', `start failed: ${(error as Error).stack ?? error}`);
      this.fail(gatewayError('SPAWN_FAILED', (error as Error).message));
    } finally {
      // Blue/green: the replaced generation goes once the new one serves — or the start failed.
      if (this.previous) void this.retirePrevious();
    }
  }

  /**
   * Makes the public port ours: free (then the door listens on it when enabled), or a healthy
   * gateway to attach to. Anything else holding it is an error naming the holder.
   */
  private async claimPublicPort(port: number, frontDoor: boolean, epoch: number): Promise<PortVerdict> {
    await this.closeDoor();
    const verdict = await this.gateWithReclaim(port, epoch);
    if (verdict.kind === 'free' && frontDoor && this.lifecycle.isCurrent(epoch)) await this.openDoor(port);
    return verdict;
  }

  private async claimInternalPort(epoch: number): Promise<number> {
    const port = await pickFreePort();
    await this.gateWithReclaim(port, epoch);
    return port;
  }

  /** The port gate, reclaiming Pincer's own orphans first; throws for a port someone else holds. */
  private async gateWithReclaim(port: number, epoch: number): Promise<PortVerdict> {
    let verdict = await this.gate(port);
    // A Pincer that died mid blue/green leaves two generations behind: reclaim each orphan once;
    // one that is still named after its reclaim would not exit.
    const reclaimed = new Set<number>();
    while (verdict.kind === 'reclaim' && !reclaimed.has(verdict.pid)) {
      reclaimed.add(verdict.pid);
      await this.reclaimOrphan(verdict.pid);
      if (!this.lifecycle.isCurrent(epoch)) return verdict;
      verdict = await this.gate(port);
    }
    switch (verdict.kind) {
      case 'in-use':
        throw new StartFailure(
          gatewayError('PORT_IN_USE', `Port ${port} is in use by ${describeOwner(verdict.owner)}.`, { portOwner: verdict.owner }),
        );
      case 'hung':
        throw new StartFailure(
          gatewayError('PORT_HUNG', `Port ${port} is held by ${describeOwner(verdict.owner)}, which does not answer.`, { portOwner: verdict.owner }),
        );
      case 'reclaim':
        throw new StartFailure(gatewayError('PORT_IN_USE', `Pincer's previous gateway (pid ${verdict.pid}) would not exit.`));
      default:
        return verdict;
    }
  }

  private async openDoor(port: number): Promise<void> {
    const door = createFrontDoor({
      port,
      allowedOrigins: () => this.options.settings().allowedOrigins,
      log: (level, message) => this.log(level, message),
    });
    try {
      await door.listen();
    } catch (error) {
      await door.close();
      if (!(error instanceof FrontDoorListenError)) throw error;
      // Taken between the gate and the listen: name the holder like the gate would.
      const owner = await findPortOwner(port);
      throw new StartFailure(gatewayError('PORT_IN_USE', `${error.message} Held by ${describeOwner(owner)}.`, { portOwner: owner }));
    }
    this.door = door;
    this.refreshFrontDoor();
  }

  private async closeDoor(): Promise<void> {
    const door = this.door;
    if (!door) return;
    this.door = undefined;
    await door.close();
    this.refreshFrontDoor();
  }

  /** Puts the door's counters into the status (on switches, and when the service samples). */
  refreshFrontDoor(): void {
    const door = this.door;
    if (!door) {
      if (this.model.current.frontDoor) this.model.update({ frontDoor: undefined });
      return;
    }
    const { listenPort, internalPort, heldConnections, pipedConnections, refusedOrigins } = door.status();
    this.model.update({ frontDoor: { enabled: true, listenPort, internalPort, heldConnections, pipedConnections, refusedOrigins } });
  }

  private resolveProgram(): GatewayProgram {
    try {
      return this.options.program();
    } catch (error) {
      const code = error instanceof GatewayNotFoundError ? error.code : 'GATEWAY_NOT_FOUND';
      throw new StartFailure(gatewayError(code, (error as Error).message));
    }
  }

  private gate(port: number): Promise<PortVerdict> {
    // The generations this run owns are recorded too, but they are not orphans.
    const ownPids = [this.generation, this.previous, ...this.retiring].flatMap((generation) => generation?.process?.pid ?? []);
    return gatePort({ port, dataDir: this.options.dataDir, answerTimeoutMs: this.timeouts.answerMs, ownPids });
  }

  /** Stops Pincer's own gateway left over from a previous run (e.g. after Pincer was killed). */
  private async reclaimOrphan(pid: number): Promise<void> {
    this.log('warn', `reclaiming pid ${pid}: Pincer's own gateway from a previous run is still running`);
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      await killTree(pid, signal);
      const deadline = Date.now() + this.timeouts.reclaimMs;
      while (isAlive(pid) && Date.now() < deadline) await sleep(25);
      if (!isAlive(pid)) return;
    }
  }

  private spawn(program: GatewayProgram, port: number): Generation {
    const { options } = this;
    const spec = program.launch(port, this.gatewayEnv(program));
    const child = options.launcher.launch(spec);
    const generation: Generation = { program, port, process: child, spawnedAt: Date.now(), exited: false, stopRequested: false, lossStreak: 0 };
    this.generation = generation;
    child.onSpawn((pid) => {
      if (this.generation === generation) this.model.update({ pid, attached: false });
      void processIdentity(pid).then((identity) => {
        if (identity && !generation.exited) addPidRecord(options.dataDir, { pid, port, startedAt: Date.now(), identity });
      });
    });
    const throttle = createOutputThrottle(GATEWAY_LINES_PER_SECOND);
    child.onLine((stream, text) => {
      const now = Date.now();
      if (!throttle.admit(now)) return;
      const dropped = throttle.takeDropped();
      if (dropped > 0) this.log('warn', `the gateway wrote more than ${GATEWAY_LINES_PER_SECOND} lines/s: ${dropped} lines were not kept`);
      this.model.addLog({ at: now, source: stream, level: stream === 'stderr' ? 'warn' : 'info', text: this.redact(text) });
    });
    child.onError((error) => this.log('error', `gateway process error: ${error.message}`));
    child.onExit((exit) => this.onExit(generation, exit));
    return generation;
  }

  private async spawnUntilReady(program: GatewayProgram, port: number, epoch: number): Promise<Generation> {
    this.phase('spawning');
    const generation = this.spawn(program, port);
    await new Promise<void>((resolve) => {
      generation.process?.onSpawn(() => resolve());
      generation.process?.onExit(() => resolve());
    });
    await this.waitUntilReady(generation, epoch);
    return generation;
  }

  private async waitUntilReady(generation: Generation, epoch: number): Promise<void> {
    this.phase('waiting-ready');
    try {
      await waitForReady({
        port: generation.port,
        timeoutMs: this.timeouts.readyMs,
        intervalMs: this.timeouts.readyPollMs,
        abort: () =>
          generation.exited ? 'the gateway exited while starting' : this.lifecycle.isCurrent(epoch) ? undefined : 'superseded',
      });
    } catch (error) {
      if (error instanceof ReadinessTimeoutError) {
        // A gateway that never gets ready is killed, so it cannot linger holding the port.
        generation.stopRequested = true;
        await generation.process?.kill().catch(() => undefined);
        throw new StartFailure(gatewayError('START_TIMEOUT', error.message));
      }
      throw error;
    }
  }

  /** Connects the control channel, waiting out a gateway that says it is still starting. */
  private async connectWithRetry(generation: Generation, epoch: number): Promise<ControlConnection | undefined> {
    const deadline = Date.now() + this.timeouts.readyMs;
    for (;;) {
      try {
        const connection = await this.connectOnce(generation);
        if (this.lifecycle.isCurrent(epoch) && !generation.exited) return connection;
        await connection.close();
        return undefined;
      } catch (error) {
        if (!(error instanceof ConnectError)) throw error;
        const fatal = connectFailure(error);
        if (fatal) throw new StartFailure(fatal);
        if (generation.exited || !this.lifecycle.isCurrent(epoch)) return undefined;
        if (Date.now() > deadline) throw new StartFailure(gatewayError('START_TIMEOUT', `could not connect: ${error.message}`));
        await this.sleep(error.details.retryAfterMs ?? 250);
      }
    }
  }

  /** Makes a fresh connection the generation's, watching it for loss. */
  private adopt(generation: Generation, connection: ControlConnection, reconnected: boolean): void {
    const previousBootId = this.model.current.gateway.bootId;
    generation.connection = connection;
    generation.connectedAt = Date.now();
    const { hello } = connection;
    // Same generation, new bootId: the gateway restarted in-process (SIGUSR2, config reload).
    const restartedInProcess = reconnected && previousBootId !== undefined && previousBootId !== hello.bootId;
    this.model.update({
      gateway: {
        ...this.model.current.gateway,
        version: hello.serverVersion || this.model.current.gateway.version,
        bootId: hello.bootId,
        maxPayload: hello.maxPayload,
        tickIntervalMs: hello.tickIntervalMs,
      },
      bootIdChanges: this.model.current.bootIdChanges + (restartedInProcess ? 1 : 0),
    });
    connection.onLost((loss) => this.onConnectionLost(generation, loss));
  }

  private onConnectionLost(generation: Generation, loss: ConnectionLoss): void {
    if (this.generation !== generation || generation.stopRequested) return;
    generation.connection = undefined;
    if (generation.exited) return; // the exit handler decides
    if (loss.hung && generation.process) {
      this.log('warn', `gateway pid ${generation.process.pid} stopped answering (no pong); killing it`);
      this.transition({ state: 'restarting' });
      void generation.process.kill().catch((error: Error) => this.log('error', error.message));
      return; // its exit arrives as an unexpected exit → immediate restart
    }
    const expected = loss.shutdown?.restartExpectedMs;
    this.log('warn', `control connection lost (${loss.code} ${loss.reason || ''})${expected !== undefined ? `; gateway restarting in ~${expected} ms` : ''}`);
    this.transition({ state: expected !== undefined ? 'restarting' : 'reconnecting' });
    // A connection lost again soon after it was made is a flap: back off as after a crash loop.
    const policy = this.backoffPolicy();
    generation.lossStreak = attemptsAfterRun(generation.lossStreak, Date.now() - (generation.connectedAt ?? 0), policy) + 1;
    void this.reconnect(generation, this.lifecycle.epoch, expected);
  }

  private async reconnect(generation: Generation, epoch: number, restartExpectedMs: number | undefined): Promise<void> {
    const policy = this.backoffPolicy();
    for (let attempt = generation.lossStreak; ; attempt++) {
      this.model.update({ reconnectAttempts: this.model.current.reconnectAttempts + 1 });
      const backoff = backoffDelay(attempt, policy, this.random());
      // The gateway said when it expects to be back: no point trying before.
      const delay = attempt === generation.lossStreak && restartExpectedMs !== undefined ? Math.max(restartExpectedMs, backoff) : backoff;
      try {
        await this.sleep(delay);
      } catch {
        return; // superseded
      }
      if (!this.lifecycle.isCurrent(epoch) || this.generation !== generation || generation.exited) return;
      if (!generation.process && !(await probePort(generation.port, { timeoutMs: 500 })).listening) {
        // The gateway we attached to is gone: start our own.
        this.generation = undefined;
        this.model.update({ pid: undefined, attached: false });
        this.transition({ state: 'restarting' });
        void this.launchStartFlow(this.openEpoch());
        return;
      }
      try {
        const connection = await this.connectOnce(generation);
        if (!this.lifecycle.isCurrent(epoch) || this.generation !== generation) {
          await connection.close();
          return;
        }
        this.adopt(generation, connection, true);
        this.model.update({ reconnectAttempts: 0 });
        this.transition({ state: 'running' });
        return;
      } catch (error) {
        const fatal = error instanceof ConnectError ? connectFailure(error) : undefined;
        if (fatal && this.lifecycle.isCurrent(epoch)) {
          this.fail(fatal);
          return;
        }
      }
    }
  }

  private connectOnce(generation: Generation): Promise<ControlConnection> {
    return this.options.connect({
      port: generation.port,
      ...connectCredential(generation.program.credential, this.options.token),
      dataDir: this.options.dataDir,
      heartbeatMs: this.options.settings().heartbeatMs,
      handshakeTimeoutMs: this.timeouts.handshakeMs,
      clientVersion: this.options.clientVersion,
      log: (level, message) => this.log(level, `[connection] ${message}`),
    });
  }

  private onExit(generation: Generation, exit: ExitEvent): void {
    generation.exited = true;
    const at = Date.now();
    const pid = generation.process?.pid;
    if (pid) removePidRecord(this.options.dataDir, pid);
    this.log(generation.stopRequested ? 'info' : 'warn', `gateway exited (code ${exit.code}, signal ${exit.signal})`);
    this.model.update({ lastExit: { code: exit.code, signal: exit.signal, at } });
    if (this.generation !== generation) return; // an older generation we already let go
    this.generation = undefined;
    // New connections wait at the door for the next generation instead of being refused.
    this.door?.hold();
    void generation.connection?.close();
    this.model.update({ pid: undefined, startedAt: undefined });
    if (generation.stopRequested) return;

    const { state } = this.lifecycle.value;
    if (state === 'stopping' || state === 'stopped' || state === 'error') return;
    const policy = this.options.settings().restartPolicy;
    this.crashHistory = recordUnexpectedExit(this.crashHistory, at, { maxExits: policy.crashLoopMaxExits, windowMs: policy.crashLoopWindowMs });
    const decision = decideOnExit({
      code: exit.code,
      requested: false,
      repairAttempted: this.repairAttempted,
      crashLoop: isCrashLoop(this.crashHistory, { maxExits: policy.crashLoopMaxExits, windowMs: policy.crashLoopWindowMs }),
    });
    const epoch = this.openEpoch();
    switch (decision.action) {
      case 'none':
        return;
      case 'repair':
        void this.repairThenStart(generation.program, epoch);
        return;
      case 'config-invalid':
        this.fail(
          gatewayError('CONFIG_INVALID', 'The gateway exited with code 78 (configuration invalid) again after one repair.', {
            repair: this.lastRepair,
          }),
        );
        return;
      case 'crash-loop':
        this.fail(
          gatewayError(
            'CRASH_LOOP',
            `The gateway exited unexpectedly ${this.crashHistory.length} times within ${Math.round(policy.crashLoopWindowMs / 1000)} s.`,
          ),
        );
        return;
      case 'restart':
        void this.restartAfterCrash(generation, at, epoch);
    }
  }

  private async restartAfterCrash(generation: Generation, exitedAt: number, epoch: number): Promise<void> {
    const policy = this.backoffPolicy();
    this.attempts = attemptsAfterRun(this.attempts, exitedAt - generation.spawnedAt, policy) + 1;
    const delay = backoffDelay(this.attempts, policy, this.random());
    if (this.lifecycle.value.state !== 'restarting') this.transition({ state: 'restarting' });
    this.model.update({ restarts: this.model.current.restarts + 1 });
    if (delay > 0) this.log('info', `restarting the gateway in ${delay} ms (attempt ${this.attempts})`);
    try {
      await this.sleep(delay);
    } catch {
      return;
    }
    if (this.lifecycle.isCurrent(epoch)) await this.launchStartFlow(epoch);
  }

  private async repairThenStart(program: GatewayProgram, epoch: number): Promise<void> {
    this.repairAttempted = true;
    if (this.lifecycle.value.state !== 'restarting') this.transition({ state: 'restarting' });
    const spec = program.repair(this.gatewayEnv(program));
    const command = `${spec.file} ${spec.args.join(' ')}`;
    this.log('warn', `gateway exited 78 (configuration invalid); running its repair once: ${command}`);
    const repairProcess = this.options.launcher.launch(spec);
    repairProcess.onLine((stream, text) =>
      this.model.addLog({ at: Date.now(), source: stream, level: 'info', text: `[repair] ${this.redact(text)}` }),
    );
    const exit = await new Promise<ExitEvent>((resolve) => {
      const timer = setTimeout(() => void repairProcess.kill().then(resolve, () => resolve({ code: null, signal: 'SIGKILL' })), this.timeouts.repairMs);
      repairProcess.onExit((event) => {
        clearTimeout(timer);
        resolve(event);
      });
    });
    this.lastRepair = { command, exitCode: exit.code };
    this.log('info', `repair finished with exit code ${exit.code}`);
    if (this.lifecycle.isCurrent(epoch)) await this.launchStartFlow(epoch);
  }

  // ── helpers ────────────────────────────────────────────────────────────────

  private gatewayEnv(program: GatewayProgram): Record<string, string> {
    const { options } = this;
    // Pincer's own token only for a gateway with no credential configured: never over the user's.
    const token = program.credential.kind === 'pincer' ? options.token : undefined;
    return buildGatewayEnv({ base: options.baseEnv ?? process.env, token, extra: options.settings().gatewayEnv, portable: options.portable });
  }

  private backoffPolicy(): BackoffPolicy {
    const { restartPolicy } = this.options.settings();
    return { baseDelayMs: restartPolicy.baseDelayMs, maxDelayMs: restartPolicy.maxDelayMs, stableAfterMs: 30_000 };
  }

  /** A sleep that a newer epoch cancels (rejects). */
  private sleep(ms: number): Promise<void> {
    return sleep(ms, undefined, { signal: this.epochAbort.signal });
  }

  private phase(phase: StartPhase): void {
    this.transition({ state: 'starting', phase });
  }

  private fail(error: GatewayError): void {
    this.log('error', `${error.code}: ${error.message}`);
    this.transition({ state: 'error', error });
  }

  private transition(next: LifecycleState): void {
    this.lifecycle.transition(next);
  }

  private log(level: LogLine['level'], message: string): void {
    const text = this.redact(message);
    this.options.log(level, text);
    this.model.addLog({ at: Date.now(), source: 'pincer', level, text });
  }
}

function describeOwner(owner?: { pid: number; command: string }): string {
  return owner ? `pid ${owner.pid} (${owner.command})` : 'another process (its owner could not be determined)';
}

function connectFailure(error: ConnectError): GatewayError | undefined {
  switch (error.code) {
    case 'AUTH_FAILED':
      return gatewayError('AUTH_FAILED', error.message);
    case 'PAIRING_REQUIRED':
      return gatewayError('PAIRING_REQUIRED', error.message, { requestId: error.details.requestId });
    case 'PROTOCOL_MISMATCH':
      return gatewayError('PROTOCOL_MISMATCH', error.message);
    default:
      return undefined;
  }
}
