// Calls in flight on one connection, and the typed ways a call can fail. Every call ends: with its
// response, its own timeout, or the rejection of everything pending when the socket goes away.
import type { ShutdownNotice } from './types';

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** The socket closed (or was closed by us) while the call was pending, or before it was made. */
export class GatewayConnectionClosedError extends Error {
  constructor(
    readonly closeCode: number,
    readonly closeReason: string,
  ) {
    super(`gateway connection closed (code ${closeCode}${closeReason ? `: ${closeReason}` : ''})`);
    this.name = 'GatewayConnectionClosedError';
  }
}

/** The gateway announced its shutdown; a restart is expected when restartExpectedMs is set. */
export class GatewayRestartingError extends Error {
  readonly restartExpectedMs?: number;
  constructor(readonly notice: ShutdownNotice) {
    super(
      notice.restartExpectedMs === undefined
        ? `gateway is shutting down (${notice.reason})`
        : `gateway is restarting (${notice.reason}), back in ~${notice.restartExpectedMs} ms`,
    );
    this.name = 'GatewayRestartingError';
    if (notice.restartExpectedMs !== undefined) this.restartExpectedMs = notice.restartExpectedMs;
  }
}

/** No connection right now (the supervisor is reconnecting or stopped): the call was not sent. */
export class GatewayUnavailableError extends Error {
  constructor(message = 'gateway is not connected') {
    super(message);
    this.name = 'GatewayUnavailableError';
  }
}

export class GatewayRequestTimeoutError extends Error {
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(`gateway did not answer ${method} within ${timeoutMs} ms`);
    this.name = 'GatewayRequestTimeoutError';
  }
}

/** The gateway answered with `ok: false`. */
export class GatewayRequestError extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly retryAfterMs?: number,
  ) {
    super(`${method} failed: ${code}: ${message}`);
    this.name = 'GatewayRequestError';
  }
}

interface PendingCall {
  method: string;
  timeoutMs: number;
  /** performance.now() after which the call has timed out. */
  deadline: number;
  resolve(payload: unknown): void;
  reject(error: Error): void;
}

export interface CallResult {
  ok: boolean;
  payload?: unknown;
  error?: { code: string; message: string; details?: unknown; retryAfterMs?: number };
}

/**
 * The calls in flight. Timeouts share one timer armed for the earliest deadline (a timer per call
 * cost more than the rest of a call's bookkeeping); settling a call leaves the timer alone, and a
 * sweep that finds nothing pending does not re-arm. rejectAll() clears it.
 */
export class PendingCalls {
  private readonly calls = new Map<string, PendingCall>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweepAt = Number.POSITIVE_INFINITY;

  get size(): number {
    return this.calls.size;
  }

  /** Registers a call; the caller sends the frame. Settles by settle(), the timeout, or rejectAll(). */
  add<T>(id: string, method: string, timeoutMs: number): Promise<T> {
    if (this.calls.has(id)) throw new Error(`duplicate request id ${id}`);
    const deadline = performance.now() + timeoutMs;
    const result = new Promise<T>((resolve, reject) => {
      this.calls.set(id, { method, timeoutMs, deadline, resolve: resolve as (payload: unknown) => void, reject });
    });
    if (deadline < this.sweepAt) this.armSweep(deadline);
    return result;
  }

  /** Settles the call with that id; false when no such call is pending (late or unknown response). */
  settle(id: string, result: CallResult): boolean {
    const call = this.calls.get(id);
    if (!call) return false;
    this.calls.delete(id);
    if (result.ok) {
      call.resolve(result.payload);
    } else {
      const error = result.error ?? { code: 'UNKNOWN', message: 'error response without details' };
      call.reject(new GatewayRequestError(call.method, error.code, error.message, error.details, error.retryAfterMs));
    }
    return true;
  }

  rejectAll(error: Error): void {
    this.disarmSweep();
    const calls = [...this.calls.values()];
    this.calls.clear();
    for (const call of calls) call.reject(error);
  }

  private armSweep(at: number): void {
    clearTimeout(this.sweepTimer);
    this.sweepAt = at;
    this.sweepTimer = setTimeout(() => this.sweep(), Math.max(0, at - performance.now()));
  }

  private disarmSweep(): void {
    clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    this.sweepAt = Number.POSITIVE_INFINITY;
  }

  private sweep(): void {
    this.disarmSweep();
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [id, call] of this.calls) {
      if (call.deadline <= now) {
        this.calls.delete(id);
        call.reject(new GatewayRequestTimeoutError(call.method, call.timeoutMs));
      } else if (call.deadline < next) {
        next = call.deadline;
      }
    }
    if (next !== Number.POSITIVE_INFINITY) this.armSweep(next);
  }
}
