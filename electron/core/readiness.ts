// Application-level probes. A TCP connect only says "someone listens" (a SIGSTOPped gateway
// still completes handshakes from the kernel backlog); these say "a gateway answers".
import http from 'node:http';
import WebSocket from 'ws';

export interface HttpAnswer {
  status: number;
  body: string;
}

/** GET on loopback with a hard deadline and no keep-alive: the socket never outlives the call. */
export function httpGet(port: number, path: string, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (body.length < 64 * 1024) body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from 127.0.0.1:${port}${path} within ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}

export type ProtocolAnswer = 'gateway' | 'hung' | 'other';

/**
 * Opens a WebSocket and waits for the gateway's first frame, `connect.challenge`.
 * No answer in time → 'hung'; anything else (HTTP error, other frames, closed) → 'other'.
 */
export function probeProtocol(port: number, timeoutMs: number): Promise<ProtocolAnswer> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/`, { handshakeTimeout: timeoutMs });
    let settled = false;
    const finish = (answer: ProtocolAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.terminate();
      resolve(answer);
    };
    const deadline = setTimeout(() => finish('hung'), timeoutMs);
    socket.on('message', (data) => {
      try {
        const frame = JSON.parse(String(data)) as { type?: string; event?: string };
        finish(frame.type === 'event' && frame.event === 'connect.challenge' ? 'gateway' : 'other');
      } catch {
        finish('other');
      }
    });
    socket.on('unexpected-response', () => finish('other'));
    socket.on('error', (error) => finish(/timeout/i.test(error.message) ? 'hung' : 'other'));
    socket.on('close', () => finish('other'));
  });
}

/** Resolves once GET /readyz answers 200; rejects when `abort()` says so or the deadline passes. */
export async function waitForReady(options: {
  port: number;
  timeoutMs: number;
  intervalMs: number;
  /** Returns a reason to give up (the child exited, a newer lifecycle epoch), or undefined. */
  abort: () => string | undefined;
}): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const reason = options.abort();
    if (reason) throw new ReadinessAbortedError(reason);
    try {
      const answer = await httpGet(options.port, '/readyz', Math.min(2_000, options.timeoutMs));
      if (answer.status === 200) return;
    } catch {
      // Not listening yet, or not answering: keep polling until the deadline.
    }
    if (Date.now() > deadline) throw new ReadinessTimeoutError(options.port, options.timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}

export class ReadinessAbortedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ReadinessAbortedError';
  }
}

export class ReadinessTimeoutError extends Error {
  constructor(port: number, timeoutMs: number) {
    super(`the gateway on port ${port} was not ready within ${Math.round(timeoutMs / 1000)} s`);
    this.name = 'ReadinessTimeoutError';
  }
}
