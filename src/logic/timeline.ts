// The last hour of gateway states as bands on a time axis, plus restart markers. Pure.
import type { TimelineEntry } from '../../electron/core/api';
import type { GatewayState, GatewayStatus } from '../../electron/core/status';

export const TIMELINE_WINDOW_MS = 60 * 60 * 1000;

/** Bands are drawn in three families: up, on the way, down (error is down, drawn in red). */
export type BandKind = 'running' | 'starting' | 'stopped' | 'error';

export function bandKind(state: GatewayState): BandKind {
  switch (state) {
    case 'running':
      return 'running';
    case 'stopped':
      return 'stopped';
    case 'error':
      return 'error';
    default:
      return 'starting';
  }
}

export interface Band {
  from: number;
  to: number;
  kind: BandKind;
  /** The state that began the band (several states can merge into one band of the same kind). */
  state: GatewayState;
}

export interface RestartMarker {
  at: number;
  pid?: number;
  previousPid?: number;
}

/** Bands covering [now - windowMs, now], clipped; consecutive entries of the same kind merge. */
export function timelineBands(entries: TimelineEntry[], now: number, windowMs = TIMELINE_WINDOW_MS): Band[] {
  const start = now - windowMs;
  const bands: Band[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const from = Math.max(entry.at, start);
    const to = Math.min(entries[i + 1]?.at ?? now, now);
    if (to <= from) continue;
    const kind = bandKind(entry.state);
    const last = bands[bands.length - 1];
    if (last && last.kind === kind && last.to === from) last.to = to;
    else bands.push({ from, to, kind, state: entry.state });
  }
  return bands;
}

/**
 * A restart is a new gateway process reaching `running` straight after an earlier one (requested
 * or after a crash). Going through `stopped` or `error` in between makes it a fresh start, as the
 * core's restart counter sees it.
 */
export function restartMarkers(entries: TimelineEntry[], now: number, windowMs = TIMELINE_WINDOW_MS): RestartMarker[] {
  const markers: RestartMarker[] = [];
  let previousPid: number | undefined;
  let seenRunning = false;
  let freshStart = false;
  for (const entry of entries) {
    if (entry.state === 'stopped' || entry.state === 'error') freshStart = true;
    if (entry.state !== 'running') continue;
    const restarted = seenRunning && !freshStart && entry.pid !== previousPid;
    if (restarted && entry.at >= now - windowMs && entry.at <= now) markers.push({ at: entry.at, pid: entry.pid, previousPid });
    seenRunning = true;
    freshStart = false;
    previousPid = entry.pid;
  }
  return markers;
}

/**
 * Extends the history with a live status: a new entry only when the state or pid changed.
 * Entries older than the window are dropped, except the last one before it (it says what state
 * the window opens with).
 */
export function appendStatus(
  entries: TimelineEntry[],
  status: Pick<GatewayStatus, 'state' | 'pid' | 'at'>,
  windowMs = TIMELINE_WINDOW_MS,
): TimelineEntry[] {
  const last = entries[entries.length - 1];
  const grown =
    last && (status.at < last.at || (last.state === status.state && last.pid === status.pid))
      ? entries
      : [...entries, status.pid === undefined ? { at: status.at, state: status.state } : { at: status.at, state: status.state, pid: status.pid }];
  return prune(grown, status.at, windowMs);
}

export function prune(entries: TimelineEntry[], now: number, windowMs = TIMELINE_WINDOW_MS): TimelineEntry[] {
  const start = now - windowMs;
  let firstInside = entries.findIndex((e) => e.at >= start);
  if (firstInside === -1) firstInside = entries.length;
  const keepFrom = Math.max(0, firstInside - 1);
  return keepFrom === 0 ? entries : entries.slice(keepFrom);
}

/** Share of the window per band kind, for the chart's text alternative. */
export function bandShares(bands: Band[], windowMs = TIMELINE_WINDOW_MS): Record<BandKind, number> {
  const shares: Record<BandKind, number> = { running: 0, starting: 0, stopped: 0, error: 0 };
  for (const band of bands) shares[band.kind] += (band.to - band.from) / windowMs;
  return shares;
}
