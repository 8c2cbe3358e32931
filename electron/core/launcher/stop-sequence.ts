// The stop sequence every launcher shares: graceful request → grace period → kill of the whole
// tree → wait for the confirmed exit, bounded. Launchers supply only the primitive operations
// (how to ask, how to kill); the timing, joining and error rules live here once.
import type { ExitEvent } from './types';

export const DEFAULT_GRACE_MS = 5_000;
export const DEFAULT_CONFIRM_MS = 5_000;

export interface StopPrimitives {
  /** Resolves with the exit once the process is confirmed gone. */
  readonly exit: Promise<ExitEvent>;
  hasExited(): boolean;
  /** The graceful request (SIGTERM; Windows: taskkill /T). The grace period starts once it settles. Must not throw. */
  requestExit(): void | Promise<void>;
  /** Kills the whole process tree at once (SIGKILL; Windows: taskkill /T /F). Must not reject. */
  killTree(): Promise<void>;
  /** Names the process in errors, e.g. "gateway process 1234". */
  describe(): string;
}

export interface StopSequence {
  stop(options?: { graceMs?: number; confirmMs?: number }): Promise<ExitEvent>;
  kill(options?: { confirmMs?: number }): Promise<ExitEvent>;
}

/** Concurrent stop() calls join one sequence; so do concurrent kill() calls. */
export function createStopSequence(process: StopPrimitives): StopSequence {
  let stopping: Promise<ExitEvent> | undefined;
  let killing: Promise<ExitEvent> | undefined;

  const exitsWithin = async (ms: number): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const exited = await Promise.race([process.exit.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(resolve, ms, false)))]);
    clearTimeout(timer);
    return exited;
  };

  const confirmExit = async (confirmMs: number): Promise<ExitEvent> => {
    if (await exitsWithin(confirmMs)) return process.exit;
    throw new Error(`${process.describe()} did not exit within ${confirmMs} ms after being killed`);
  };

  return {
    stop({ graceMs = DEFAULT_GRACE_MS, confirmMs = DEFAULT_CONFIRM_MS } = {}) {
      const invalid = durationProblem('graceMs', graceMs) ?? durationProblem('confirmMs', confirmMs);
      if (invalid) return Promise.reject(invalid);
      if (process.hasExited()) return process.exit;
      stopping ??= (async () => {
        await process.requestExit();
        if (await exitsWithin(graceMs)) return process.exit;
        await process.killTree();
        return confirmExit(confirmMs);
      })();
      return stopping;
    },
    kill({ confirmMs = DEFAULT_CONFIRM_MS } = {}) {
      const invalid = durationProblem('confirmMs', confirmMs);
      if (invalid) return Promise.reject(invalid);
      if (process.hasExited()) return process.exit;
      killing ??= process.killTree().then(() => confirmExit(confirmMs));
      return killing;
    },
  };
}

function durationProblem(name: string, value: number): RangeError | undefined {
  return Number.isFinite(value) && value >= 0 ? undefined : new RangeError(`${name} must be a non-negative number of ms, got ${String(value)}`);
}
