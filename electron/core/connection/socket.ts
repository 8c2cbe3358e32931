// Opening and ending the one WebSocket of a control connection. Every socket ends through here, so
// no path can leave one half-closed (the CLOSE_WAIT / FIN_WAIT_2 pile-up of seed 001).
import WebSocket from 'ws';

/** Bound for the close handshake. ws's default is 30 s; `undefined` would destroy after ~1 ms. */
export const CLOSE_TIMEOUT_MS = 2_000;
/** Extra wait past ws's own close timer before we terminate() ourselves (belt and braces). */
const TERMINATE_GRACE_MS = 250;
/** Largest frame we accept from the gateway (OpenClaw's default policy.maxPayload); past it ws closes 1009. */
export const MAX_INBOUND_PAYLOAD = 25 * 1024 * 1024;

// @types/ws 8.18 does not declare closeTimeout (added in ws 8.19).
type ClientOptions = WebSocket.ClientOptions & { closeTimeout: number };

export function openGatewaySocket(port: number, handshakeTimeoutMs: number): WebSocket {
  const options: ClientOptions = {
    // The explicit loopback address: `localhost` may resolve to ::1 while the gateway listens on 127.0.0.1.
    handshakeTimeout: handshakeTimeoutMs,
    closeTimeout: CLOSE_TIMEOUT_MS,
    maxPayload: MAX_INBOUND_PAYLOAD,
    perMessageDeflate: false,
    followRedirects: false,
  };
  return new WebSocket(`ws://127.0.0.1:${port}`, options);
}

function ignoreError(): void {}

/**
 * Drops every listener of a dead socket. One no-op 'error' listener stays: it holds nothing, and an
 * 'error' emitted with no listener would throw and crash the process.
 */
export function scrubListeners(ws: WebSocket): void {
  ws.removeAllListeners();
  ws.on('error', ignoreError);
}

/** Resolves when ws has emitted 'close' (its TCP handle is closed by then). */
function whenClosed(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => ws.once('close', () => resolve()));
}

/**
 * Orderly end: close frame, ws's bounded close timeout, then terminate() if the socket is somehow
 * still open. Resolves only when the socket is fully closed, with all listeners removed.
 */
export async function closeSocket(ws: WebSocket, code = 1000, reason = ''): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) {
    scrubListeners(ws);
    return;
  }
  // close() while CONNECTING aborts with an 'error' event: make sure it has a listener.
  ws.on('error', ignoreError);
  const closed = whenClosed(ws);
  const guard = setTimeout(() => ws.terminate(), CLOSE_TIMEOUT_MS + TERMINATE_GRACE_MS);
  try {
    ws.close(code, reason);
    await closed;
  } finally {
    clearTimeout(guard);
    scrubListeners(ws);
  }
}

/** Immediate end for a peer that has proven unresponsive. Resolves when the socket is closed. */
export async function terminateSocket(ws: WebSocket): Promise<void> {
  ws.on('error', ignoreError);
  const closed = whenClosed(ws);
  ws.terminate();
  await closed;
  scrubListeners(ws);
}
