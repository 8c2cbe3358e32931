// The unexpected gateway exits this driver caused (kill -9, a freeze the supervisor had to kill),
// so a CRASH_LOOP after a run of kills can be told apart from one without cause. The supervisor
// forgets its history on a user start from stopped/error and when it restarts itself; so does this.

export interface CrashLoopLimit {
  maxExits: number;
  windowMs: number;
}

export class CrashLedger {
  private exits: number[] = [];

  constructor(
    private readonly limit: CrashLoopLimit,
    /** Widens the window: our timestamps and the supervisor's differ by a few ms. */
    private readonly slackMs = 2_000,
  ) {}

  record(at: number): void {
    this.exits.push(at);
  }

  /** The exit recorded at `at` did not happen after all (a frozen gateway resumed). */
  forget(at: number): void {
    this.exits = this.exits.filter((exit) => exit !== at);
  }

  reset(): void {
    this.exits = [];
  }

  /** Could the supervisor have counted enough unexpected exits by `now` to declare a crash loop? */
  crashLoopPossible(now: number): boolean {
    return this.exits.filter((at) => now - at < this.limit.windowMs + this.slackMs).length >= this.limit.maxExits;
  }
}
