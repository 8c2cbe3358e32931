// Restart/reconnect delay. The first attempt is immediate: a single crash should cost no more
// than the gateway's own start time. Repeated attempts back off exponentially with "equal
// jitter" (half fixed, half random), so many clients spread out without collapsing to ~0.

export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Uptime after which the attempt counter starts again from zero. */
  stableAfterMs: number;
}

/** Delay before attempt number `attempt` (1-based). `random` is in [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: number): number {
  if (attempt <= 1) return 0;
  // 2 ** 30 already exceeds any sane cap; clamping the exponent keeps the math finite.
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt - 2, 30));
  const half = ceiling / 2;
  return Math.round(half + random * half);
}

/** The attempt counter to use after a run that lasted `uptimeMs`. */
export function attemptsAfterRun(previousAttempts: number, uptimeMs: number, policy: BackoffPolicy): number {
  return uptimeMs >= policy.stableAfterMs ? 0 : previousAttempts;
}
