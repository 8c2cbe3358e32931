// Hang detection. TCP keepalive cannot see a frozen peer (its kernel still ACKs), so we ping at the
// WebSocket level and declare the peer hung when nothing — no pong, no frame — arrived for
// 2 × the interval. The deadline runs from the last sign of life, so a freeze is caught within
// 2 × interval of its start, not 3×. Silence counts against the peer only once a ping of ours has
// gone unanswered for an interval: when our own event loop stalls, no ping goes out, and a healthy
// peer must not be killed for it.

export interface HeartbeatTarget {
  ping(): void;
}

export interface Heartbeat {
  /** Any frame or pong from the peer. Cheap: called for every message. */
  alive(): void;
  stop(): void;
}

export const PONG_DEADLINE_FACTOR = 2;

export function startHeartbeat(target: HeartbeatTarget, intervalMs: number, onHung: () => void): Heartbeat {
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new RangeError(`heartbeat interval must be > 0 ms, got ${intervalMs}`);
  const deadlineMs = intervalMs * PONG_DEADLINE_FACTOR;
  let lastAliveAt = performance.now();
  /** When the oldest ping the peer has not answered yet went out. */
  let unansweredSince: number | undefined;
  let stopped = false;

  const pinger = setInterval(() => {
    unansweredSince ??= performance.now();
    target.ping();
  }, intervalMs);
  // One timer, re-armed lazily: when it fires early (the peer spoke since), it waits for the rest.
  let deadline = setTimeout(checkDeadline, deadlineMs);

  function checkDeadline(): void {
    const now = performance.now();
    const silentFor = now - lastAliveAt;
    if (silentFor < deadlineMs) {
      deadline = setTimeout(checkDeadline, deadlineMs - silentFor);
      return;
    }
    const unansweredFor = unansweredSince === undefined ? 0 : now - unansweredSince;
    if (unansweredFor < intervalMs) {
      deadline = setTimeout(checkDeadline, intervalMs - unansweredFor);
      return;
    }
    stop();
    onHung();
  }

  function stop(): void {
    if (stopped) return;
    stopped = true;
    clearInterval(pinger);
    clearTimeout(deadline);
  }

  return {
    alive() {
      lastAliveAt = performance.now();
      unansweredSince = undefined;
    },
    stop,
  };
}
