// The headless HTTP + SSE bridge against a real local HTTP server (Node's fetch and streams, the
// same APIs the browser has). The server records every request so the tests can check headers
// and that the token never appears in a URL.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpBridge } from '../../src/api/http-bridge';
import { UnauthorizedError, type Connection } from '../../src/api/types';
import type { GatewayStatus } from '../../electron/core/status';
import type { LogLine } from '../../electron/core/api';
import { waitFor } from '../helpers/wait';
import { status } from './fixtures';

const TOKEN = 'tok+en/with=odd chars';

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  body: string;
}

let server: http.Server;
let baseUrl: string;
let seen: Seen[];
let streams: http.ServerResponse[];
let current: GatewayStatus;
const bridges: HttpBridge[] = [];
const unsubscribes: (() => void)[] = [];

function bridge(token = TOKEN): HttpBridge {
  const b = new HttpBridge({ baseUrl, token, retryDelayMs: () => 50 });
  bridges.push(b);
  return b;
}

function sendEvent(event: string, data: unknown): void {
  for (const res of streams) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

beforeEach(async () => {
  seen = [];
  streams = [];
  current = status({ pid: 100, at: 1 });
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body });
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"unauthorized"}');
        return;
      }
      const json = (code: number, value: unknown) => res.writeHead(code, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
      switch (`${req.method} ${req.url}`) {
        case 'GET /api/status':
          return json(200, current);
        case 'POST /api/restart':
          return json(202, { ...current, state: 'restarting' });
        case 'PUT /api/settings': {
          const patch = JSON.parse(body) as { gatewayPort?: unknown };
          if (patch.gatewayPort === 1) return json(400, { error: 'request body larger than 65536 bytes' });
          return patch.gatewayPort === 80
            ? json(400, { ok: false, errors: [{ field: 'gatewayPort', message: 'must be a whole number from 1024 to 65535' }] })
            : json(200, { ok: true, settings: patch, restartScheduled: true });
        }
        case 'POST /api/open-logs':
          return json(200, { path: '/data/logs' });
        case 'POST /api/diagnostics':
          return json(500, { error: 'disk full' });
        case 'GET /api/events':
          res.writeHead(200, { 'Content-Type': 'text/event-stream' });
          res.write(': open\n\n');
          streams.push(res);
          req.socket.on('close', () => (streams = streams.filter((s) => s !== res)));
          return;
        default:
          return json(404, { error: 'not found' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  unsubscribes.splice(0).forEach((off) => off());
  bridges.length = 0;
  for (const res of streams) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('HttpBridge requests', () => {
  it('sends the token as a Bearer header on every request and never in a URL', async () => {
    const b = bridge();
    await b.getStatus();
    await b.restart();
    await b.updateSettings({ gatewayPort: 18790 });
    unsubscribes.push(b.onStatus(() => undefined));
    await waitFor(() => streams.length === 1, { what: 'event stream' });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(
      expect.arrayContaining(['GET /api/status', 'POST /api/restart', 'PUT /api/settings', 'GET /api/events']),
    );
    for (const request of seen) {
      expect(request.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.url).not.toContain('tok');
    }
  });

  it('returns a 400 from PUT /api/settings as field errors, not as a failure', async () => {
    await expect(bridge().updateSettings({ gatewayPort: 80 })).resolves.toEqual({
      ok: false,
      errors: [{ field: 'gatewayPort', message: 'must be a whole number from 1024 to 65535' }],
    });
    await expect(bridge().updateSettings({ gatewayPort: 18790 })).resolves.toMatchObject({ ok: true, restartScheduled: true });
    expect(JSON.parse(seen[seen.length - 1]!.body)).toEqual({ gatewayPort: 18790 });
  });

  it('turns other failures into errors carrying the server message', async () => {
    await expect(bridge().exportDiagnostics()).rejects.toThrow('disk full');
    // A 400 without field errors is a failure too, not a malformed "result".
    await expect(bridge().updateSettings({ gatewayPort: 1 })).rejects.toThrow('request body larger than 65536 bytes');
  });

  it('returns the logs folder the headless twin reports', async () => {
    await expect(bridge().openLogs()).resolves.toEqual({ path: '/data/logs' });
  });

  it('a wrong token → UnauthorizedError and an "unauthorized" connection event, once', async () => {
    const b = bridge('wrong');
    const connections: Connection[] = [];
    unsubscribes.push(b.onConnection((c) => connections.push(c)));
    await expect(b.getStatus()).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(b.getSettings()).rejects.toBeInstanceOf(UnauthorizedError);
    expect(connections).toEqual([{ state: 'unauthorized' }]);
  });

  it('an unreachable server → a clear error', async () => {
    const b = new HttpBridge({ baseUrl: 'http://127.0.0.1:1', token: TOKEN });
    await expect(b.getStatus()).rejects.toThrow('Pincer is not reachable.');
  });
});

describe('HttpBridge event stream', () => {
  it('delivers status and log events and resyncs the status when the stream opens', async () => {
    const b = bridge();
    const statuses: GatewayStatus[] = [];
    const lines: LogLine[] = [];
    unsubscribes.push(b.onStatus((s) => statuses.push(s)));
    unsubscribes.push(b.onLog((l) => lines.push(l)));
    await waitFor(() => statuses.length === 1, { what: 'resync status' });
    expect(statuses[0]).toEqual(current);
    expect(streams).toHaveLength(1); // one stream shared by both subscriptions

    const next = status({ state: 'restarting', pid: 100, at: 2 });
    const line: LogLine = { at: 3, level: 'warn', source: 'stderr', text: 'slow' };
    // Split mid-event, as TCP may.
    const text = `event: status\ndata: ${JSON.stringify(next)}\n\nevent: log\ndata: ${JSON.stringify(line)}\n\nevent: log\ndata: not json\n\n`;
    streams[0]!.write(text.slice(0, 17));
    streams[0]!.write(text.slice(17));
    await waitFor(() => statuses.length === 2 && lines.length === 1, { what: 'events' });
    expect(statuses[1]).toEqual(next);
    expect(lines).toEqual([line]);
  });

  it('reports a dropped stream, retries, and resyncs when it is back', async () => {
    const b = bridge();
    const connections: Connection['state'][] = [];
    const statuses: GatewayStatus[] = [];
    unsubscribes.push(b.onConnection((c) => connections.push(c.state)));
    unsubscribes.push(b.onStatus((s) => statuses.push(s)));
    await waitFor(() => streams.length === 1 && statuses.length === 1, { what: 'stream open' });

    current = status({ state: 'running', pid: 200, at: 5 });
    streams[0]!.destroy();
    await waitFor(() => connections.includes('lost'), { what: 'lost' });
    await waitFor(() => statuses.some((s) => s.pid === 200), { what: 'resync after reconnect' });
    expect(connections.slice(0, 3)).toEqual(['connected', 'lost', 'connected']);
    sendEvent('status', status({ state: 'stopped', at: 6 }));
    await waitFor(() => statuses[statuses.length - 1]!.state === 'stopped', { what: 'events after reconnect' });
  });

  it('closes the stream when the last listener unsubscribes', async () => {
    const b = bridge();
    const offStatus = b.onStatus(() => undefined);
    const offLog = b.onLog(() => undefined);
    await waitFor(() => streams.length === 1, { what: 'stream open' });
    offStatus();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(streams).toHaveLength(1); // the log listener still needs it
    offLog();
    await waitFor(() => streams.length === 0, { what: 'stream closed by the client' });
  });

  it('stops retrying when the stream answers 401', async () => {
    const b = bridge('wrong');
    const connections: Connection['state'][] = [];
    unsubscribes.push(b.onConnection((c) => connections.push(c.state)));
    unsubscribes.push(b.onStatus(() => undefined));
    await waitFor(() => connections.includes('unauthorized'), { what: 'unauthorized' });
    const attempts = seen.filter((s) => s.url === '/api/events').length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen.filter((s) => s.url === '/api/events').length).toBe(attempts);
    expect(connections).toEqual(['unauthorized']);
  });
});
