// Everything the status reports besides the lifecycle state: counters, the current generation's
// facts, bounded tails of output and a one-hour timeline. Emits one snapshot per change.
import { EventEmitter } from 'node:events';
import type { LogLine, TimelineEntry } from './api';
import type { LifecycleState } from './lifecycle';
import {
  STDERR_TAIL_LINES,
  type ExitInfo,
  type ExternalGateway,
  type FrontDoorStatus,
  type GatewayInfo,
  type GatewayStatus,
  type InstalledService,
  type RestartRecord,
  type SocketReport,
  type StartPhase,
} from './status';

const LOG_TAIL_LINES = 500;
const TIMELINE_MS = 60 * 60 * 1000;
const TIMELINE_MAX_ENTRIES = 2_000;

/** The mutable facts; the lifecycle state is passed in when a snapshot is taken. */
export interface StatusFacts {
  port: number;
  pid?: number;
  attached: boolean;
  startedAt?: number;
  restarts: number;
  reconnectAttempts: number;
  bootIdChanges: number;
  lastExit?: ExitInfo;
  phaseTimings: Partial<Record<StartPhase, number>>;
  gateway: GatewayInfo;
  sockets?: SocketReport;
  frontDoor?: FrontDoorStatus;
  warnings: string[];
  external?: ExternalGateway;
  services?: InstalledService[];
  lastRestart?: RestartRecord;
}

type StatusEvents = { status: [GatewayStatus]; log: [LogLine] };

export class StatusModel extends EventEmitter<StatusEvents> {
  private facts: StatusFacts;
  private readonly stderrTail: string[] = [];
  private readonly logTail: LogLine[] = [];
  private readonly timelineEntries: TimelineEntry[] = [];
  private lifecycle: LifecycleState = { state: 'stopped' };
  private phaseStartedAt?: number;

  constructor(
    port: number,
    gateway: GatewayInfo,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.facts = { port, attached: false, restarts: 0, reconnectAttempts: 0, bootIdChanges: 0, phaseTimings: {}, gateway, warnings: [] };
  }

  get current(): Readonly<StatusFacts> {
    return this.facts;
  }

  /** Listens to the published snapshots or log lines; returns the unsubscribe. */
  subscribe<K extends keyof StatusEvents>(event: K, listener: K extends keyof StatusEvents ? (...args: StatusEvents[K]) => void : never): () => void {
    this.on(event, listener);
    return () => this.off(event, listener);
  }

  /** Applies a change to the facts and publishes the new snapshot. */
  update(change: Partial<StatusFacts>): void {
    this.facts = { ...this.facts, ...change };
    this.publish();
  }

  setLifecycle(next: LifecycleState): void {
    const at = this.now();
    const previous = this.lifecycle;
    if (previous.state === 'starting' && this.phaseStartedAt !== undefined) {
      this.facts.phaseTimings = { ...this.facts.phaseTimings, [previous.phase]: at - this.phaseStartedAt };
    }
    if (next.state === 'starting') {
      if (previous.state !== 'starting') this.facts.phaseTimings = {};
      this.phaseStartedAt = at;
    } else {
      this.phaseStartedAt = undefined;
    }
    this.lifecycle = next;
    if (previous.state !== next.state) this.recordTimeline({ at, state: next.state, pid: this.facts.pid });
    this.publish();
  }

  /** One line of gateway output or a Pincer message: kept in a bounded tail and broadcast. */
  addLog(line: LogLine): void {
    if (line.source === 'stderr') pushBounded(this.stderrTail, line.text, STDERR_TAIL_LINES);
    pushBounded(this.logTail, line, LOG_TAIL_LINES);
    this.emit('log', line);
  }

  snapshot(): GatewayStatus {
    const at = this.now();
    const { lifecycle, facts } = this;
    const live = lifecycle.state === 'running' || lifecycle.state === 'reconnecting';
    return {
      state: lifecycle.state,
      phase: lifecycle.state === 'starting' ? lifecycle.phase : undefined,
      phaseTimings: facts.phaseTimings,
      port: facts.port,
      pid: facts.pid,
      attached: facts.attached,
      startedAt: facts.startedAt,
      uptimeMs: live && facts.startedAt !== undefined ? at - facts.startedAt : undefined,
      restarts: facts.restarts,
      reconnectAttempts: facts.reconnectAttempts,
      bootIdChanges: facts.bootIdChanges,
      lastExit: facts.lastExit,
      error: lifecycle.state === 'error' ? lifecycle.error : undefined,
      warnings: facts.warnings,
      stderrTail: [...this.stderrTail],
      gateway: facts.gateway,
      sockets: facts.sockets,
      frontDoor: facts.frontDoor,
      ...(facts.external ? { external: facts.external } : {}),
      ...(facts.services ? { services: facts.services } : {}),
      ...(facts.lastRestart ? { lastRestart: facts.lastRestart } : {}),
      at,
    };
  }

  timeline(): TimelineEntry[] {
    this.pruneTimeline(this.now());
    return [...this.timelineEntries];
  }

  logs(): LogLine[] {
    return [...this.logTail];
  }

  private recordTimeline(entry: TimelineEntry): void {
    this.timelineEntries.push(entry);
    this.pruneTimeline(entry.at);
  }

  private pruneTimeline(at: number): void {
    // Keep the newest entry older than the window: it says what state the window began in.
    while (this.timelineEntries.length > 1 && at - this.timelineEntries[1].at > TIMELINE_MS) this.timelineEntries.shift();
    if (this.timelineEntries.length > TIMELINE_MAX_ENTRIES) this.timelineEntries.splice(0, this.timelineEntries.length - TIMELINE_MAX_ENTRIES);
  }

  private publish(): void {
    this.emit('status', this.snapshot());
  }
}

function pushBounded<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}
