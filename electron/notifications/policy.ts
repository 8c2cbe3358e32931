// When Pincer tells the desktop about the gateway, as pure functions over status snapshots:
// what a transition means (noticeFor) and whether it may be shown now (throttle), so a flapping
// gateway never floods the desktop.
import type { ExitInfo, GatewayErrorCode, GatewayState, GatewayStatus } from '../core/status';

export type GatewayNotice =
  | { kind: 'error'; code: GatewayErrorCode }
  /** Back up after an exit nobody asked for. */
  | { kind: 'recovered'; exit: ExitInfo }
  /** A restart that was asked for (dashboard, tray, a settings change) finished, slowly. */
  | { kind: 'restarted'; tookMs: number };

/** An exit this close before entering 'restarting' is what caused it: a crash, not a request. */
export const CRASH_EXIT_WINDOW_MS = 2_000;
/** Restarts quicker than this need no notification: the user is still looking. */
export const SLOW_RESTART_MS = 5_000;

export interface WatchState {
  state?: GatewayState;
  /** Set while recovering from a crash. */
  crash?: ExitInfo;
  /** Set while a requested restart is under way. */
  restartSince?: number;
}

const UP: ReadonlySet<GatewayState> = new Set(['running', 'reconnecting', 'starting']);

export function noticeFor(
  watch: WatchState,
  status: Pick<GatewayStatus, 'state' | 'at' | 'lastExit' | 'error'>,
): { watch: WatchState; notice?: GatewayNotice } {
  const previous = watch.state;
  if (status.state === previous) return { watch };
  const next: WatchState = { ...watch, state: status.state };
  switch (status.state) {
    case 'error':
      return { watch: { state: 'error' }, notice: status.error ? { kind: 'error', code: status.error.code } : undefined };
    case 'restarting': {
      if (next.crash || next.restartSince !== undefined) return { watch: next };
      const exit = status.lastExit;
      const crashed = previous !== undefined && UP.has(previous) && exit !== undefined && status.at - exit.at <= CRASH_EXIT_WINDOW_MS;
      return { watch: crashed ? { ...next, crash: exit } : { ...next, restartSince: status.at } };
    }
    case 'running': {
      const done: WatchState = { state: 'running' };
      if (watch.crash) return { watch: done, notice: { kind: 'recovered', exit: watch.crash } };
      if (watch.restartSince !== undefined && status.at - watch.restartSince >= SLOW_RESTART_MS) {
        return { watch: done, notice: { kind: 'restarted', tookMs: status.at - watch.restartSince } };
      }
      return { watch: done };
    }
    case 'stopping':
    case 'stopped':
      return { watch: { state: status.state } };
    default:
      return { watch: next };
  }
}

export interface ThrottleLimits {
  /** At most this many notifications per window, whatever they say. */
  maxPerWindow: number;
  windowMs: number;
  /** The same notice (same kind, same error code) at most once per this gap. */
  sameNoticeGapMs: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { maxPerWindow: 4, windowMs: 10 * 60_000, sameNoticeGapMs: 5 * 60_000 };

export type SentNotices = ReadonlyArray<{ at: number; key: string }>;

export function noticeKey(notice: GatewayNotice): string {
  return notice.kind === 'error' ? `error:${notice.code}` : notice.kind;
}

/** Whether a notice may be shown at `now`, and the history to keep (only what the limits can still see). */
export function throttle(
  sent: SentNotices,
  key: string,
  now: number,
  limits: ThrottleLimits = DEFAULT_THROTTLE,
): { allowed: boolean; sent: SentNotices } {
  const horizon = Math.max(limits.windowMs, limits.sameNoticeGapMs);
  const recent = sent.filter((entry) => now - entry.at < horizon);
  const inWindow = recent.filter((entry) => now - entry.at < limits.windowMs).length;
  const sameRecently = recent.some((entry) => entry.key === key && now - entry.at < limits.sameNoticeGapMs);
  const allowed = inWindow < limits.maxPerWindow && !sameRecently;
  return { allowed, sent: allowed ? [...recent, { at: now, key }] : recent };
}
