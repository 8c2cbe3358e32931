// What every launched gateway process has in common, whatever starts it (child_process or
// Electron's utilityProcess): one-time spawn/exit/error events, line listeners, and the shared
// grace → tree-kill → confirm stop sequence. A launcher supplies how to ask for an exit and how
// to kill the tree.
import { OnceEvent } from './once-event';
import { createStopSequence, type StopSequence } from './stop-sequence';
import type { ExitEvent, GatewayProcess } from './types';

type LineListener = (stream: 'stdout' | 'stderr', line: string) => void;

export abstract class ProcessHandle implements GatewayProcess {
  protected readonly spawned = new OnceEvent<number>();
  protected readonly failed = new OnceEvent<Error>();
  protected readonly exited = new OnceEvent<ExitEvent>();
  private readonly lineListeners: LineListener[] = [];
  private readonly stopper: StopSequence;

  constructor() {
    this.stopper = createStopSequence({
      exit: this.exited.promise(),
      hasExited: () => this.exited.done,
      requestExit: () => this.requestExit(),
      killTree: () => this.killTreeNow(),
      describe: () => `gateway process ${this.pid ?? '?'}`,
    });
  }

  abstract get pid(): number | undefined;

  /** The graceful request (SIGTERM, or taskkill /T on Windows). */
  protected abstract requestExit(): void | Promise<void>;

  /** The hard kill of the whole tree. */
  protected abstract killTreeNow(): Promise<void>;

  onSpawn(listener: (pid: number) => void): void {
    this.spawned.on(listener);
  }

  onLine(listener: LineListener): void {
    this.lineListeners.push(listener);
  }

  onExit(listener: (exit: ExitEvent) => void): void {
    this.exited.on(listener);
  }

  onError(listener: (error: Error) => void): void {
    this.failed.on(listener);
  }

  stop(options?: { graceMs?: number; confirmMs?: number }): Promise<ExitEvent> {
    return this.stopper.stop(options);
  }

  kill(options?: { confirmMs?: number }): Promise<ExitEvent> {
    return this.stopper.kill(options);
  }

  protected emitLine(stream: 'stdout' | 'stderr', line: string): void {
    for (const listener of this.lineListeners) listener(stream, line);
  }

  /** A process that never started: report it like any exit, after the caller attached listeners. */
  protected failSoon(error: Error): void {
    setImmediate(() => {
      this.failed.emit(error);
      this.exited.emit({ code: null, signal: null });
    });
  }
}
