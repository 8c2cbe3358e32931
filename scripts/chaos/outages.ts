// Which client failures were unavoidable. Pure: the client's failures, the twin's state timeline
// and the windows the faults declared go in; counts come out.
//  - While the user has the gateway stopped (stopping → stopped → the next running) or it is in
//    `error`, there is no gateway to promise: every failure is unavoidable.
//  - A fault may declare a window in which some outcomes are unavoidable: requests in flight when
//    a gateway is killed or frozen (reset, timeout), or everything while the supervisor itself is
//    dead (its front door died with it).
//  - Everything else — above all a refused connect during a restart — is avoidable.
import type { GatewayState } from '../../electron/core/status';

export type FailureOutcome = 'refused' | 'reset' | 'timeout' | 'http-error';

export interface ClientFailure {
  startedAt: number;
  endedAt: number;
  outcome: FailureOutcome;
  probe: 'tcp' | 'http';
  /** The error code or HTTP status, for the report. */
  detail: string;
}

export interface OutageWindow {
  from: number;
  to: number;
  reason: string;
  /** Outcomes this window excuses; 'all' for any. */
  covers: readonly FailureOutcome[] | 'all';
}

export interface StateMark {
  at: number;
  state: GatewayState;
}

const NO_GATEWAY_PROMISED: ReadonlySet<GatewayState> = new Set(['stopping', 'stopped', 'error']);

/** From entering stopping / stopped / error until the next running (or `end`). */
export function windowsFromStates(marks: readonly StateMark[], end: number): OutageWindow[] {
  const windows: OutageWindow[] = [];
  let openedAt: number | undefined;
  let reason = '';
  for (const mark of [...marks].sort((a, b) => a.at - b.at)) {
    if (openedAt === undefined && NO_GATEWAY_PROMISED.has(mark.state)) {
      openedAt = mark.at;
      reason = `gateway ${mark.state}`;
    } else if (openedAt !== undefined && mark.state === 'running') {
      windows.push({ from: openedAt, to: mark.at, reason, covers: 'all' });
      openedAt = undefined;
    }
  }
  if (openedAt !== undefined) windows.push({ from: openedAt, to: end, reason, covers: 'all' });
  return windows;
}

export interface FailureCounts {
  total: number;
  unavoidable: number;
  avoidable: number;
  /** A few avoidable ones, for the report. */
  avoidableSamples: ClientFailure[];
}

/**
 * A failure is unavoidable when its lifetime [startedAt, endedAt] (widened by `slackMs` for the
 * clocks of two processes) overlaps a window that covers its outcome.
 */
export function classifyFailures(failures: readonly ClientFailure[], windows: readonly OutageWindow[], slackMs = 50): FailureCounts {
  let unavoidable = 0;
  const avoidable: ClientFailure[] = [];
  for (const failure of failures) {
    const excused = windows.some(
      (w) => failure.startedAt - slackMs <= w.to && failure.endedAt + slackMs >= w.from && (w.covers === 'all' || w.covers.includes(failure.outcome)),
    );
    if (excused) unavoidable += 1;
    else avoidable.push(failure);
  }
  return { total: failures.length, unavoidable, avoidable: avoidable.length, avoidableSamples: avoidable.slice(0, 5) };
}
