// The gateway's listener and its generations. Each (re)start is a generation with its own bootId, HTTP
// server and WebSocket server; a restart closes one generation (shutdown event, close 1012, listener
// closed) and opens the next on the same port. Lifecycle operations run one at a time.
import crypto from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE_CODES, CLOSE_REASONS, EVENTS, METHODS } from '../../../electron/core/protocol';
import type { Faults, Tuning } from './faults';
import { answerProbe } from './http-probes';
import { logLine } from './output';
import { ClientSession, type SessionHost } from './session';
import { deviceTokenFor } from './device-token';

export interface GatewayOptions {
  port: number;
  host: string;
  token: string;
  version: string;
  faults: Faults;
  tuning: Tuning;
}

export interface ShutdownNotice {
  reason: string;
  restartExpectedMs?: number;
}

interface Generation {
  bootId: string;
  startedAt: number;
  server: http.Server;
  wss: WebSocketServer;
  sessions: Set<ClientSession>;
  ready: boolean;
  readyTimer?: NodeJS.Timeout;
  tickTimer?: NodeJS.Timeout;
}

/** A restart re-binds the port another process may grab in the gap: retry briefly before giving up. */
const RELISTEN_ATTEMPTS = 20;
const RELISTEN_RETRY_MS = 100;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function rejectUpgrade(socket: net.Socket): void {
  socket.on('error', () => socket.destroy());
  socket.once('finish', () => socket.destroy());
  socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
}

export class ReferenceGateway {
  private generation?: Generation;
  private stopping = false;
  private hung = false;
  private queue: Promise<void> = Promise.resolve();
  /** Sockets kept open on purpose by the hang and never-close faults. */
  private readonly heldSockets = new Set<net.Socket>();
  private readonly startedAt = Date.now();

  constructor(private readonly options: GatewayOptions) {}

  get isHung(): boolean {
    return this.hung;
  }

  /** Opens the first generation; rejects if the port cannot be bound. */
  start(): Promise<void> {
    return this.enqueue(() => this.openGeneration(1));
  }

  /** In-process restart (SIGUSR2): same pid, listener closed for `restartGapMs`, new bootId. */
  restart(): Promise<void> {
    return this.enqueue(async () => {
      if (this.stopping || !this.generation) return;
      const gapMs = this.options.tuning.restartGapMs;
      logLine(`restarting (port closed for ${gapMs} ms)`);
      await this.closeGeneration({ reason: 'restart', restartExpectedMs: gapMs });
      await sleep(gapMs);
      if (this.stopping) return; // a stop that came in during the gap wins: do not listen again
      await this.openGeneration(RELISTEN_ATTEMPTS);
    });
  }

  shutdown(reason: string): Promise<void> {
    this.stopping = true;
    return this.enqueue(() => this.closeGeneration({ reason }));
  }

  /** Stop answering anything (frames, pings, HTTP, new upgrades) while keeping every socket open. */
  hang(): void {
    this.hung = true;
  }

  private enqueue(operation: () => Promise<void>): Promise<void> {
    const next = this.queue.then(operation);
    this.queue = next.catch(() => {});
    return next;
  }

  private async openGeneration(attempts: number): Promise<void> {
    const { maxPayload, tickIntervalMs } = this.options.tuning;
    const generation: Generation = {
      bootId: crypto.randomUUID(),
      startedAt: Date.now(),
      server: http.createServer((req, res) => {
        if (this.hung) this.hold(req.socket);
        else answerProbe(req, res, generation.ready);
      }),
      wss: new WebSocketServer({ noServer: true, maxPayload, autoPong: false, perMessageDeflate: false }),
      sessions: new Set(),
      ready: false,
    };
    generation.server.on('upgrade', (req, socket: net.Socket, head) => this.onUpgrade(generation, req, socket, head));
    generation.server.on('clientError', (_error, socket) => socket.destroy());
    await this.listen(generation.server, attempts);
    this.generation = generation;
    logLine(`listening on ${this.options.host}:${this.options.port} (bootId ${generation.bootId})`);
    generation.tickTimer = setInterval(() => {
      if (this.hung) return;
      for (const session of generation.sessions) {
        if (session.isConnected) session.sendEvent(EVENTS.TICK, { ts: Date.now() });
      }
    }, tickIntervalMs);
    const markReady = () => {
      generation.ready = true;
      logLine('ready');
    };
    const { startDelayMs } = this.options.faults;
    if (startDelayMs > 0) generation.readyTimer = setTimeout(markReady, startDelayMs);
    else markReady();
  }

  private async listen(server: http.Server, attempts: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen({ port: this.options.port, host: this.options.host }, () => {
            server.off('error', reject);
            resolve();
          });
        });
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= attempts) throw error;
        await sleep(RELISTEN_RETRY_MS);
      }
    }
  }

  private onUpgrade(generation: Generation, req: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    if (this.hung) {
      this.hold(socket);
      return;
    }
    if (this.generation !== generation || this.stopping) {
      rejectUpgrade(socket);
      return;
    }
    if (this.options.faults.neverCloseClients) this.leak(socket);
    generation.wss.handleUpgrade(req, socket, head, (ws) => this.accept(generation, ws));
  }

  private accept(generation: Generation, ws: WebSocket): void {
    const session = new ClientSession(ws, this.sessionHost(generation));
    generation.sessions.add(session);
    void session.closed.then(() => generation.sessions.delete(session));
  }

  private sessionHost(generation: Generation): SessionHost {
    const { token, faults, tuning, version } = this.options;
    return {
      token,
      faults,
      tuning,
      version,
      deviceTokenFor: (deviceId) => deviceTokenFor(token, deviceId),
      bootId: generation.bootId,
      isStarting: () => !generation.ready,
      isHung: () => this.hung,
      callMethod: (method) => this.callMethod(generation, method),
    };
  }

  private callMethod(generation: Generation, method: string): unknown {
    switch (method) {
      case METHODS.HEALTH:
        return { ok: true, status: 'live', ts: Date.now(), durationMs: 0, bootId: generation.bootId };
      case METHODS.STATUS:
        return {
          pid: process.pid,
          version: this.options.version,
          bootId: generation.bootId,
          uptimeMs: Date.now() - this.startedAt,
          generationUptimeMs: Date.now() - generation.startedAt,
          ready: generation.ready,
          connections: [...generation.sessions].filter((session) => session.isConnected).length,
        };
      default:
        return undefined;
    }
  }

  /** Listener closed at once; every client gets the notice and close 1012, stragglers are terminated. */
  private async closeGeneration(notice: ShutdownNotice): Promise<void> {
    const generation = this.generation;
    if (!generation) return;
    this.generation = undefined;
    clearTimeout(generation.readyTimer);
    clearInterval(generation.tickTimer);
    generation.server.close();
    generation.wss.close();
    const closing: Promise<void>[] = [];
    for (const session of generation.sessions) {
      if (session.isConnected) session.sendEvent(EVENTS.SHUTDOWN, notice);
      closing.push(session.close(CLOSE_CODES.SERVICE_RESTART, CLOSE_REASONS.SERVICE_RESTART));
    }
    // A leaking gateway never sees its clients close; waiting for them would wait forever.
    if (!this.options.faults.neverCloseClients) await Promise.all(closing);
    generation.server.closeAllConnections();
  }

  private hold(socket: net.Socket): void {
    socket.on('error', () => {});
    this.heldSockets.add(socket);
    socket.once('close', () => this.heldSockets.delete(socket));
  }

  /** PINCER_REFGW_NEVER_CLOSE_CLIENTS: our side never ends or destroys the socket, so it sits in CLOSE_WAIT. */
  private leak(socket: net.Socket): void {
    this.hold(socket);
    socket.end = (() => socket) as typeof socket.end;
    socket.destroy = (() => socket) as typeof socket.destroy;
  }
}
