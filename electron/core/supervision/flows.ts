// The user flows in flight (start, restart, stop) and the intent queued behind one: what the
// intent decision needs to know, and the promises the callers who join them get.
import type { Flow, IntentFacts, PendingIntent } from '../policy/intent';
import type { Generation } from './generation';

interface FlowRun {
  epoch: number;
  promise: Promise<void>;
}

export class FlowTracker {
  private readonly runs: { start?: FlowRun; restart?: FlowRun; stop?: FlowRun } = {};
  private queued?: { then: PendingIntent; promise: Promise<void> };
  /** The last completed restart, with the generation it produced. */
  private lastRestart?: NonNullable<IntentFacts['lastRestart']> & { generation: Generation };

  /** Stale start and restart flows (a newer epoch exists) are still finishing, but not joinable. */
  constructor(private readonly isCurrent: (epoch: number) => boolean) {}

  /** The flow a new intent may join; a stop owns the lifecycle until it ends. */
  inFlight(): Flow | undefined {
    const { start, restart, stop } = this.runs;
    if (stop) return 'stop';
    if (restart && this.isCurrent(restart.epoch)) return 'restart';
    if (start && this.isCurrent(start.epoch)) return 'start';
    return undefined;
  }

  /** A start or restart still running, current or not (a settings restart waits for either). */
  starting(): Promise<void> | undefined {
    return (this.runs.restart ?? this.runs.start)?.promise;
  }

  pending(): PendingIntent | undefined {
    return this.queued?.then;
  }

  promise(flow: Flow | undefined): Promise<void> {
    return (flow && this.runs[flow]?.promise) ?? Promise.resolve();
  }

  queuedPromise(): Promise<void> {
    return this.queued?.promise ?? Promise.resolve();
  }

  /** Records a flow until it ends. */
  track(flow: Flow, epoch: number, run: Promise<void>): Promise<void> {
    const promise = run.finally(() => {
      if (this.runs[flow]?.promise === promise) this.runs[flow] = undefined;
    });
    this.runs[flow] = { epoch, promise };
    return promise;
  }

  /** Runs `then` once `flow` ends unless cleared first; every caller asking for it shares one promise. */
  enqueue(flow: Flow, then: PendingIntent, run: (then: PendingIntent) => Promise<void>): Promise<void> {
    if (this.queued?.then === then) return this.queued.promise;
    const queued = {
      then,
      promise: this.promise(flow)
        .catch(() => undefined) // its own caller hears about a failure
        .then(() => {
          if (this.queued !== queued) return;
          this.queued = undefined;
          return run(then);
        }),
    };
    this.queued = queued;
    return queued.promise;
  }

  clearQueued(): void {
    this.queued = undefined;
  }

  /** A restart asked for at `requestedAt` completed: `generation` is running. */
  restartCompleted(requestedAt: number, generation: Generation): void {
    if (generation.runningSince !== undefined) this.lastRestart = { requestedAt, runningAt: generation.runningSince, generation };
  }

  /** A completed restart can be joined only while the generation it produced is the current one. */
  lastRestartOf(generation: Generation | undefined): IntentFacts['lastRestart'] {
    return this.lastRestart?.generation === generation ? this.lastRestart : undefined;
  }
}
