// The HTTP API (the API table, server-sent events, and the CLI's open / quit), plus the dashboard
// for the headless twin. Both front ends serve it. Loopback only; every API request needs the
// bearer token; Host and Origin are checked so a web page can't reach it (DNS rebinding, CSRF).
import { contentTypeOf } from '../core/content-types';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { ApiMethod, SettingsUpdateResult } from '../core/api';
import { MAX_PATCH_BYTES } from '../core/api-args';
import { ApiError, INTENTS, type ApiTable } from '../core/api-table';
import { CONTENT_SECURITY_POLICY } from '../core/csp';
import type { GatewayStatus } from '../core/status';
import type { PincerService } from '../core/service';

export interface ApiServerOptions {
  service: PincerService;
  api: ApiTable;
  apiToken: string;
  /** The built dashboard (dist/renderer), served by the headless twin; the desktop app serves the API only. */
  staticDir?: string;
  controls: InstanceControls;
  /** Where unexpected handler errors go (the client only gets "internal error"). */
  logError: (message: string) => void;
}

/** What the CLI asks of the running instance beyond the dashboard's API. */
export interface InstanceControls {
  /** Shows the dashboard (desktop: the window) and says where it is (headless: its URL, no token). */
  open(): { shown: boolean; url?: string };
  /** Stops the gateway gracefully and exits the instance, after the answer is sent. */
  quit(): void;
}

/** The HTTP face of the API table: one route per method. */
const ROUTES: Record<string, ApiMethod> = {
  'GET /api/status': 'getStatus',
  'POST /api/start': 'start',
  'POST /api/stop': 'stop',
  'POST /api/restart': 'restart',
  'POST /api/restart-full': 'fullRestart',
  'POST /api/control-ui': 'openControlUi',
  'GET /api/settings': 'getSettings',
  'PUT /api/settings': 'updateSettings',
  'GET /api/timeline': 'getTimeline',
  'GET /api/logs': 'getLogTail',
  'POST /api/open-logs': 'openLogs',
  'POST /api/diagnostics': 'exportDiagnostics',
  'GET /api/update': 'getUpdate',
  'POST /api/update/install': 'installUpdate',
};

const HTTP_STATUS: Record<ApiError['kind'], number> = { refused: 400, failed: 500 };

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function createApiServer(options: ApiServerOptions): http.Server {
  const server = http.createServer((request, response) => {
    handle(options, server, request, response).catch((error: unknown) => {
      const known = error instanceof HttpError || error instanceof ApiError;
      const status = error instanceof HttpError ? error.status : error instanceof ApiError ? HTTP_STATUS[error.kind] : 500;
      const message = known ? error.message : 'internal error';
      if (!known) options.logError(`API ${request.method} ${request.url}: ${(error as Error).stack ?? error}`);
      if (!response.headersSent) sendJson(response, status, { error: message });
      else response.end();
    });
  });
  // Idle keep-alive sockets must not hold a shutdown open.
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return server;
}

async function handle(options: ApiServerOptions, server: http.Server, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const port = (server.address() as { port: number }).port;
  checkHost(request, port);
  checkOrigin(request, port);
  const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
  if (!url.pathname.startsWith('/api/') && url.pathname !== '/api') {
    if (request.method !== 'GET' && request.method !== 'HEAD') throw new HttpError(405, 'method not allowed');
    if (!options.staticDir) throw new HttpError(404, 'not found');
    return serveStatic(options.staticDir, url.pathname, response);
  }
  checkToken(request, options.apiToken);
  const route = `${request.method} ${url.pathname}`;
  const method = ROUTES[route];
  if (method) {
    const body = await readBody(request);
    const args = method === 'updateSettings' ? [parseJson(body)] : [];
    const result = await options.api[method](args);
    // 202 for an intent: accepted, progress arrives as status events.
    const failed = method === 'updateSettings' && !(result as SettingsUpdateResult).ok;
    return sendJson(response, INTENTS.has(method) ? 202 : failed ? 400 : 200, result);
  }
  switch (route) {
    case 'GET /api/events':
      return streamEvents(options.service, request, response);
    case 'POST /api/open':
      await readBody(request);
      return sendJson(response, 200, options.controls.open());
    case 'POST /api/quit':
      await readBody(request);
      response.once('finish', () => options.controls.quit());
      return sendJson(response, 202, { quitting: true });
    default:
      throw new HttpError(404, `no such endpoint: ${route}`);
  }
}

function checkHost(request: http.IncomingMessage, port: number): void {
  const allowed = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  if (!allowed.includes(request.headers.host ?? '')) throw new HttpError(421, 'this server only answers to 127.0.0.1 / localhost');
}

function checkOrigin(request: http.IncomingMessage, port: number): void {
  const origin = request.headers.origin;
  if (origin === undefined) return; // not a browser cross-origin request
  const allowed = [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`];
  if (!allowed.includes(origin)) throw new HttpError(403, 'cross-site requests are not allowed');
}

function checkToken(request: http.IncomingMessage, apiToken: string): void {
  const header = request.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '');
  const expected = Buffer.from(apiToken);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    throw new HttpError(401, 'missing or wrong API token');
  }
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PATCH_BYTES) {
        reject(new HttpError(413, `request body larger than ${MAX_PATCH_BYTES} bytes`));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new HttpError(400, 'the body is not valid JSON');
  }
}

function sendJson(response: http.ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(body);
}

function serveStatic(root: string, pathname: string, response: http.ServerResponse): void {
  const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  const file = path.resolve(root, relative);
  if (!file.startsWith(path.resolve(root) + path.sep)) throw new HttpError(404, 'not found');
  let body: Buffer;
  try {
    body = fs.readFileSync(file);
  } catch {
    throw new HttpError(404, 'not found');
  }
  response.writeHead(200, {
    'content-type': contentTypeOf(file),
    'content-length': body.length,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  });
  response.end(body);
}

function streamEvents(service: PincerService, request: http.IncomingMessage, response: http.ServerResponse): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-content-type-options': 'nosniff',
  });
  const send = (event: string, data: unknown) => response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  send('status', service.supervisor.status());
  const offStatus = service.supervisor.onStatus((status: GatewayStatus) => send('status', status));
  const offLog = service.supervisor.onLog((line) => send('log', line));
  // A comment line now and then keeps proxies and idle timers from closing the stream.
  const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), 15_000);
  const close = () => {
    clearInterval(keepAlive);
    offStatus();
    offLog();
  };
  request.on('close', close);
  response.on('error', close);
}
