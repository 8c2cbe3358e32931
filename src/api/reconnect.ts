// Delay before re-opening the event stream: fast first retry, doubling, capped.
export const RECONNECT_BASE_MS = 500;
export const RECONNECT_MAX_MS = 10_000;

export function reconnectDelayMs(attempt: number): number {
  return Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** Math.max(0, attempt));
}
