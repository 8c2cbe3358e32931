// The supervisor's lifecycle as one explicit state machine. Every state change goes through
// `transition`, which refuses moves the table does not allow, so an impossible sequence is a
// loud bug instead of a silently wrong status.
//
// Epochs: every user intent (start, stop, restart) opens a new epoch. An async flow captures
// the epoch it was started in and checks it after each await; if a newer intent exists, the
// stale flow stops acting, so a slow start can never overwrite a later stop.
import type { GatewayError, GatewayState, StartPhase } from './status';

export type LifecycleState =
  | { state: 'stopped' }
  | { state: 'starting'; phase: StartPhase }
  | { state: 'running' }
  /** Between generations: the old process is going (or gone) and the next start is scheduled. */
  | { state: 'restarting' }
  /** The process is alive but the control connection dropped; reconnecting with backoff. */
  | { state: 'reconnecting' }
  | { state: 'stopping' }
  | { state: 'error'; error: GatewayError };

// Exactly the moves the supervisor makes; each state is entered by one method of it.
const ALLOWED: Record<GatewayState, readonly GatewayState[]> = {
  stopped: ['starting'],
  // → starting: the next phase of the same start.
  starting: ['starting', 'running', 'restarting', 'stopping', 'error'],
  running: ['restarting', 'reconnecting', 'stopping', 'error'],
  // → running: the gateway restarted in-process (same pid) and the control connection is back.
  restarting: ['starting', 'running', 'stopping', 'error'],
  reconnecting: ['running', 'restarting', 'stopping', 'error'],
  stopping: ['stopped'],
  error: ['starting', 'stopping'],
};

export function canTransition(from: GatewayState, to: GatewayState): boolean {
  return ALLOWED[from].includes(to);
}

export class InvalidTransitionError extends Error {
  constructor(from: GatewayState, to: GatewayState) {
    super(`invalid lifecycle transition ${from} → ${to}`);
    this.name = 'InvalidTransitionError';
  }
}

export class Lifecycle {
  private current: LifecycleState = { state: 'stopped' };
  private currentEpoch = 0;
  private readonly listeners = new Set<(next: LifecycleState, previous: LifecycleState) => void>();

  get value(): LifecycleState {
    return this.current;
  }

  get epoch(): number {
    return this.currentEpoch;
  }

  /** Opens a new epoch: every flow holding an older one is now stale. */
  newEpoch(): number {
    return ++this.currentEpoch;
  }

  isCurrent(epoch: number): boolean {
    return epoch === this.currentEpoch;
  }

  transition(next: LifecycleState): void {
    const previous = this.current;
    if (!canTransition(previous.state, next.state)) throw new InvalidTransitionError(previous.state, next.state);
    this.current = next;
    for (const listener of this.listeners) listener(next, previous);
  }

  onChange(listener: (next: LifecycleState, previous: LifecycleState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
