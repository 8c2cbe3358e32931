// How a user's intent (start, stop, restart — from the API, IPC, tray or CLI alike) meets what
// the supervisor is already doing. Pure: (lifecycle state, flow in flight, pending intent, event)
// → the one thing to do. The supervisor only carries the answer out.
import type { GatewayState } from '../status';

/** The user flow in flight, if any: a new intent may join it. */
export type Flow = 'start' | 'stop' | 'restart';

/** What a flow in flight has queued behind it. */
export type PendingIntent = 'start' | 'restart';

/**
 * full: a new generation replaces the current one. auto: the gateway's own in-process restart when
 * it has one and nothing it starts with changed (policy/restart-kind.ts), else full.
 */
export type RestartKind = 'full' | 'auto';

export type IntentEvent =
  | { intent: 'start' }
  | { intent: 'stop' }
  /**
   * joinRecent: a user's request, which may join a restart that already completed and starts a burst
   * later requests may join. The restart a settings change needs does neither: it must end with a
   * generation launched after the change, and users could not have asked for it.
   */
  | { intent: 'restart'; kind: RestartKind; at: number; joinRecent: boolean };

export interface IntentFacts {
  state: GatewayState;
  flow?: Flow;
  pending?: PendingIntent;
  /** A gateway process is alive and its own recovery is under way (in-process restart, hang kill). */
  liveGeneration: boolean;
  /** The last completed user restart: when its burst began, and when its generation reached running. */
  lastRestart?: { requestedAt: number; runningAt: number };
}

export interface RestartJoinWindow {
  /** How far a burst of requests sent at one moment spreads out until they arrive. */
  burstMs: number;
  /** How long after the new generation reached running a request could still have been sent blind. */
  graceMs: number;
}

export const DEFAULT_RESTART_JOIN: RestartJoinWindow = { burstMs: 3_000, graceMs: 1_000 };

export type IntentAction =
  /** Nothing new: the caller waits for the flow in flight (or nothing, when already there). */
  | { action: 'join'; flow?: Flow }
  /** The same intent is already queued behind the flow in flight: wait for that one. */
  | { action: 'join-queued' }
  | { action: 'start' }
  | { action: 'stop' }
  | { action: 'restart'; kind: RestartKind }
  /** Queue behind the flow in flight, then act. */
  | { action: 'after'; flow: Flow; then: PendingIntent };

/**
 * The rule for restarts, all in one place: a restart request joins a restart that is pending or in
 * flight; it also joins one that completed if it arrived within `burstMs` of the request that
 * started it, or before `graceMs` after its generation reached running — a request that could not
 * have observed that restart is part of the same burst. So a burst of any size, spread out however
 * the front end delivers it, gives exactly one restart.
 */
export function decideIntent(facts: IntentFacts, event: IntentEvent, join: RestartJoinWindow = DEFAULT_RESTART_JOIN): IntentAction {
  const { state, flow } = facts;
  switch (event.intent) {
    case 'stop':
      return flow === 'stop' ? { action: 'join', flow } : { action: 'stop' };
    case 'start':
      if (flow === 'stop') return facts.pending === 'start' ? { action: 'join-queued' } : { action: 'after', flow, then: 'start' };
      if (flow) return { action: 'join', flow };
      if (state === 'running' || state === 'reconnecting') return { action: 'join' };
      if (state === 'restarting' && facts.liveGeneration) return { action: 'join' };
      return { action: 'start' };
    case 'restart':
      if (flow === 'restart') return { action: 'join', flow };
      if (flow === 'stop') return facts.pending === 'start' ? { action: 'join-queued' } : { action: 'after', flow, then: 'start' };
      if (flow === 'start' && state === 'starting') {
        return facts.pending === 'restart' ? { action: 'join-queued' } : { action: 'after', flow, then: 'restart' };
      }
      if (state === 'stopped' || state === 'error') return { action: 'start' };
      if (event.joinRecent && state === 'running' && joinsCompleted(facts.lastRestart, event.at, join)) return { action: 'join' };
      return { action: 'restart', kind: event.kind };
  }
}

function joinsCompleted(last: IntentFacts['lastRestart'], at: number, join: RestartJoinWindow): boolean {
  return last !== undefined && (at < last.requestedAt + join.burstMs || at < last.runningAt + join.graceMs);
}
