// Gateway output Pincer keeps: at most `linesPerSecond`; beyond that lines are counted, not kept,
// so a gateway flooding its stdout costs a counter increment per line. Reading never slows down —
// the child is never blocked on a full pipe — and Pincer's memory and log file stay bounded.

export interface OutputThrottle {
  /** True when this line may be kept; false when it is only counted. */
  admit(now: number): boolean;
  /** Lines dropped in windows that have ended since the last call (then reset). */
  takeDropped(): number;
}

export function createOutputThrottle(linesPerSecond: number): OutputThrottle {
  let windowStart = 0;
  let kept = 0;
  let droppedInWindow = 0;
  let droppedDone = 0;
  return {
    admit(now) {
      if (now - windowStart >= 1_000) {
        droppedDone += droppedInWindow;
        windowStart = now;
        kept = 0;
        droppedInWindow = 0;
      }
      if (kept < linesPerSecond) {
        kept += 1;
        return true;
      }
      droppedInWindow += 1;
      return false;
    },
    takeDropped() {
      const dropped = droppedDone;
      droppedDone = 0;
      return dropped;
    },
  };
}
