// The restart policy's defaults, in one place (the settings' defaults are these), and how the
// settings configure the two pure policies under it: backoff and the crash-loop window.
import type { RestartPolicySettings } from '../settings/schema';
import type { BackoffPolicy } from './backoff';
import type { CrashLoopPolicy } from './crash-loop';

export const DEFAULT_RESTART_POLICY: RestartPolicySettings = {
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  crashLoopMaxExits: 5,
  crashLoopWindowMs: 60_000,
};

/** A run this long resets the backoff: the next crash is restarted at once again. */
export const BACKOFF_RESET_UPTIME_MS = 30_000;

/**
 * A generation that stayed running this long was stable: its exit, however it came, is not part of
 * a crash loop (PM2's min_uptime, whose default this is).
 */
export const MIN_STABLE_UPTIME_MS = 1_000;

export function backoffPolicy(settings: RestartPolicySettings): BackoffPolicy {
  return { baseDelayMs: settings.baseDelayMs, maxDelayMs: settings.maxDelayMs, stableAfterMs: BACKOFF_RESET_UPTIME_MS };
}

export function crashLoopPolicy(settings: RestartPolicySettings): CrashLoopPolicy {
  return { maxExits: settings.crashLoopMaxExits, windowMs: settings.crashLoopWindowMs, minUptimeMs: MIN_STABLE_UPTIME_MS };
}

export const DEFAULT_BACKOFF = backoffPolicy(DEFAULT_RESTART_POLICY);
