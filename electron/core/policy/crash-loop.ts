// Crash-loop detection: too many unexpected exits inside a sliding window means restarting
// again will not help (systemd's StartLimitBurst, OTP's restart intensity).

export interface CrashLoopPolicy {
  maxExits: number;
  windowMs: number;
}

export const DEFAULT_CRASH_LOOP: CrashLoopPolicy = { maxExits: 5, windowMs: 60_000 };

/** Exit timestamps still inside the window after recording an exit at `at`. */
export function recordUnexpectedExit(history: readonly number[], at: number, policy: CrashLoopPolicy): number[] {
  return [...history.filter((t) => at - t < policy.windowMs), at];
}

export function isCrashLoop(history: readonly number[], policy: CrashLoopPolicy): boolean {
  return history.length >= policy.maxExits;
}
