// Shared pieces of the front-door tests: a plain HTTP + WebSocket upstream, clients that report
// exactly what happened at the TCP level (refused, reset, clean end), and doors that are always closed.
import http from 'node:http';
import net from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { createFrontDoor, type FrontDoor, type FrontDoorOptions } from '../../electron/core/frontdoor';
import { freePort } from '../helpers/ports';

export interface LogEntry {
  level: string;
  message: string;
}

export interface TestDoor extends FrontDoor {
  port: number;
  logs: LogEntry[];
}

const doors = new Set<FrontDoor>();

/** A listening front door on a free port; closed by closeAllDoors(). */
export async function openDoor(options: Partial<Omit<FrontDoorOptions, 'log'>> = {}): Promise<TestDoor> {
  const port = options.port ?? (await freePort());
  const logs: LogEntry[] = [];
  const door = createFrontDoor({ allowedOrigins: () => [], ...options, port, log: (level, message) => logs.push({ level, message }) });
  doors.add(door);
  await door.listen();
  return Object.assign(door, { port, logs });
}

export async function closeAllDoors(): Promise<void> {
  await Promise.all([...doors].map((door) => door.close()));
  doors.clear();
}

export interface Upstream {
  port: number;
  /** Requests seen, as "METHOD url origin". */
  requests: string[];
  /** Raw TCP connections accepted. */
  connections(): number;
  close(): Promise<void>;
}

/** HTTP server answering `<port> <url>` plus a WebSocket echo, on 127.0.0.1. */
export async function startUpstream(port?: number): Promise<Upstream> {
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers.origin ?? '-'}`);
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => res.end(`${listenPort} ${req.url}${body ? ` ${body}` : ''}`));
  });
  server.on('connection', (socket) => {
    accepted++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  wss.on('connection', (ws, req) => {
    requests.push(`WS ${req.url} ${req.headers.origin ?? '-'}`);
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
  const listenPort = port ?? (await freePort());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () => resolve());
  });
  return {
    port: listenPort,
    requests,
    connections: () => accepted,
    async close() {
      for (const client of wss.clients) client.terminate();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type HttpOutcome = { status: number; body: string; ms: number } | { error: string; ms: number };

/** One GET on a fresh connection; reports the status or the error code instead of throwing. */
export function httpGet(port: number, path = '/', headers: Record<string, string> = {}, host = '127.0.0.1'): Promise<HttpOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const request = http.get({ host, port, path, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body, ms: performance.now() - started }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, ms: performance.now() - started }));
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, ms: performance.now() - started }));
  });
}

export type WsOutcome = { open: true; ws: WebSocket } | { open: false; status?: number; error?: string };

/** Opens a WebSocket; reports an HTTP refusal's status instead of throwing. */
export function wsOpen(port: number, origin?: string, host = '127.0.0.1'): Promise<WsOutcome> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://${host.includes(':') ? `[${host}]` : host}:${port}`, { perMessageDeflate: false, ...(origin ? { origin } : {}) });
    ws.once('open', () => resolve({ open: true, ws }));
    ws.once('unexpected-response', (_request, response) => {
      resolve({ open: false, status: response.statusCode });
      response.resume();
      ws.terminate();
    });
    ws.once('error', (error: NodeJS.ErrnoException) => resolve({ open: false, error: error.code ?? error.message }));
  });
}

export function echo(ws: WebSocket, text: string): Promise<string> {
  return new Promise((resolve) => {
    ws.once('message', (data: WebSocket.RawData) => resolve(String(data)));
    ws.send(text);
  });
}

export function closeWs(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    ws.once('close', () => resolve());
    ws.close();
  });
}

/** What the far end did to a raw TCP connection. */
export interface RawOutcome {
  /** Bytes received before the end. */
  received: string;
  /** 'end': clean FIN; otherwise the error code (ECONNRESET…). */
  ending: 'end' | string;
  ms: number;
}

/** Connects, writes `send` (if any), and reads until the other side ends or fails. */
export function rawExchange(port: number, send?: string, host = '127.0.0.1'): { socket: net.Socket; done: Promise<RawOutcome> } {
  const started = performance.now();
  const socket = net.connect({ host, port, allowHalfOpen: true });
  const done = new Promise<RawOutcome>((resolve) => {
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.once('end', () => {
      resolve({ received, ending: 'end', ms: performance.now() - started });
      socket.end();
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      resolve({ received, ending: error.code ?? error.message, ms: performance.now() - started }),
    );
  });
  if (send !== undefined) socket.write(send);
  return { socket, done };
}
