// Unauthenticated HTTP probes, as OpenClaw serves them on the gateway port.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STARTUP_UNAVAILABLE } from '../../../electron/core/protocol';

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function answerProbe(req: IncomingMessage, res: ServerResponse, ready: boolean): void {
  const path = (req.url ?? '/').split('?', 1)[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendJson(res, 405, { error: 'method not allowed' });
    return;
  }
  switch (path) {
    case '/healthz':
    case '/health':
      sendJson(res, 200, { ok: true, status: 'live' });
      return;
    case '/readyz':
    case '/startupz':
      if (ready) sendJson(res, 200, { ready: true });
      else sendJson(res, 503, { ready: false, failing: [STARTUP_UNAVAILABLE.reason] });
      return;
    default:
      sendJson(res, 404, { error: 'not found' });
  }
}
