// The headless twin's HTTP API and dashboard server. Loopback only; every API request needs the
// bearer token; Host and Origin are checked so a web page can't reach it (DNS rebinding, CSRF).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../core/csp';
import { ControlUiError } from '../core/gateway/control-ui';
import type { GatewayStatus } from '../core/status';
import type { PincerService } from '../core/service';

export interface ApiServerOptions {
  service: PincerService;
  apiToken: string;
  /** The built dashboard (dist/renderer). */
  staticDir: string;
  /** What "open logs" answers in a headless setting: the folder path. */
  logsDir: string;
  /** Where unexpected handler errors go (the client only gets "internal error"). */
  logError: (message: string) => void;
}

const MAX_BODY_BYTES = 64 * 1024;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

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
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof HttpError ? error.message : 'internal error';
      if (!(error instanceof HttpError)) options.logError(`API ${request.method} ${request.url}: ${(error as Error).stack ?? error}`);
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
    return serveStatic(options.staticDir, url.pathname, response);
  }
  checkToken(request, options.apiToken);
  const { service } = options;
  const { supervisor } = service;
  const route = `${request.method} ${url.pathname}`;
  switch (route) {
    case 'GET /api/status':
      return sendJson(response, 200, supervisor.status());
    case 'POST /api/start':
    case 'POST /api/stop': {
      await readBody(request);
      const action = url.pathname.slice('/api/'.length) as 'start' | 'stop';
      // 202: the intent is accepted; progress arrives as status events.
      void supervisor[action]();
      return sendJson(response, 202, supervisor.status());
    }
    case 'POST /api/restart':
    case 'POST /api/restart-full':
      await readBody(request);
      void service.restartGateway(route === 'POST /api/restart-full' ? 'full' : 'auto');
      return sendJson(response, 202, supervisor.status());
    case 'POST /api/control-ui':
      await readBody(request);
      // The one-time link for the dashboard page to open (the browser is on the user's side).
      try {
        return sendJson(response, 200, { url: await service.controlUiUrl() });
      } catch (error) {
        if (error instanceof ControlUiError) throw new HttpError(409, error.message);
        throw error;
      }
    case 'GET /api/settings':
      return sendJson(response, 200, service.getSettings());
    case 'PUT /api/settings': {
      const result = service.updateSettings(parseJson(await readBody(request)));
      return sendJson(response, result.ok ? 200 : 400, result);
    }
    case 'GET /api/timeline':
      return sendJson(response, 200, supervisor.timeline());
    case 'GET /api/logs':
      return sendJson(response, 200, supervisor.logs());
    case 'POST /api/open-logs':
      await readBody(request);
      return sendJson(response, 200, { path: options.logsDir });
    case 'POST /api/diagnostics':
      await readBody(request);
      return sendJson(response, 200, await service.exportDiagnostics());
    case 'GET /api/events':
      return streamEvents(service, request, response);
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
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`));
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
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
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
