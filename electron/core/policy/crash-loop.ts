// Crash-loop detection: too many unexpected exits inside a sliding window means restarting
// again will not help (systemd's StartLimitBurst, OTP's restart intensity). Only exits of
// generations that never became stable count: a gateway that ran healthily and was then killed
// from outside is restarted however often that happens, and a stable run clears the count
// (PM2's min_uptime).

export interface CrashLoopPolicy {
  maxExits: number;
  windowMs: number;
  /** Running this long makes a generation stable. */
  minUptimeMs: number;
}

/** Did a generation that reached running at `runningSince` (if ever) run stably until `exitedAt`? */
export function ranStably(runningSince: number | undefined, exitedAt: number, policy: CrashLoopPolicy): boolean {
  return runningSince !== undefined && exitedAt - runningSince >= policy.minUptimeMs;
}

/** Unstable exit timestamps still inside the window after an exit at `at`; a stable run clears them. */
export function recordUnexpectedExit(history: readonly number[], at: number, policy: CrashLoopPolicy, stable: boolean): number[] {
  if (stable) return [];
  return [...history.filter((t) => at - t < policy.windowMs), at];
}

export function isCrashLoop(history: readonly number[], policy: CrashLoopPolicy): boolean {
  return history.length >= policy.maxExits;
}
