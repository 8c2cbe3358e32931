// The front door: Pincer owns the public port and pipes each connection (TCP level, unchanged) to
// the current gateway generation's internal port, so a gateway restart never refuses a client.
// listen → connection: intake (Origin check, bounded) → dispatcher (target or hold) → splice (the pipe).
import type net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FrontDoorStatus } from '../status';
import { DoorConnection, type DoorContext } from './connection';
import { Dispatcher } from './dispatcher';
import { endClient } from './end-client';
import { assertPort } from '../port/probe';
import { closeServers, listenLoopback } from './listen';
import { isHostAllowed, isOriginAllowed } from './origin-policy';
import type { Splice } from './splice';

export interface FrontDoorOptions {
  /** The public port clients use. */
  port: number;
  /** Browser origins allowed besides loopback ones (read for every request, so settings changes apply at once). */
  allowedOrigins: () => readonly string[];
  /** How long a connection may wait for a gateway (no target, hold(), or the target refusing). */
  holdTimeoutMs?: number;
  /** Connections without a gateway socket yet (being inspected or held); past it new ones are closed. */
  maxHeld?: number;
  /** A pair with one side finished is destroyed after the other stays silent this long. */
  halfOpenTimeoutMs?: number;
  /** How long the first request head may take (a client silent that long is passed on as-is). */
  peekTimeoutMs?: number;
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

/** The front door's part of the status, plus totals (`enabled` is the supervisor's to add). */
export interface FrontDoorCounters extends Omit<FrontDoorStatus, 'enabled'> {
  /** Every connection ever piped to a gateway. */
  pipedTotal: number;
  /** Every connection that had to wait for a gateway. */
  heldTotal: number;
  /** Closed cleanly because the hold time bound passed. */
  heldExpired: number;
  /** Closed cleanly on arrival because `maxHeld` connections were already waiting. */
  heldRejected: number;
  /** The longest wait of a held connection that reached a gateway, in ms. */
  longestHoldMs: number;
}

export interface FrontDoor {
  /** Starts listening; rejects with FrontDoorListenError (e.g. EADDRINUSE) naming the port. */
  listen(): Promise<void>;
  /** New connections (and held ones, in arrival order) go to 127.0.0.1:internalPort. */
  setTarget(internalPort: number): void;
  /** New connections are accepted and held until the next setTarget() (switch or in-process restart). */
  hold(): void;
  /**
   * Blue/green: after setTarget(next), resolves true once no connection is still being opened to
   * `port` or waiting for that generation's first answer — then it can be stopped without catching
   * a request mid-way (sessions it already answered end with it, as they must). False after `timeoutMs`.
   */
  drained(port: number, timeoutMs: number): Promise<boolean>;
  status(): FrontDoorCounters;
  /** Stops listening and ends every connection; resolves when every socket is closed. */
  close(): Promise<void>;
}

const DEFAULTS = { holdTimeoutMs: 30_000, maxHeld: 512, halfOpenTimeoutMs: 10_000, peekTimeoutMs: 10_000 };
const CONNECT_TIMEOUT_MS = 3_000;
const DRAIN_POLL_MS = 5;
/** Distinct refused origins / hosts logged by name; past that, one summary line. */
const MAX_LOGGED_ORIGINS = 100;

export function createFrontDoor(options: FrontDoorOptions): FrontDoor {
  const { port, log } = options;
  const holdTimeoutMs = options.holdTimeoutMs ?? DEFAULTS.holdTimeoutMs;
  const maxHeld = options.maxHeld ?? DEFAULTS.maxHeld;
  const halfOpenTimeoutMs = options.halfOpenTimeoutMs ?? DEFAULTS.halfOpenTimeoutMs;
  const peekTimeoutMs = options.peekTimeoutMs ?? DEFAULTS.peekTimeoutMs;
  for (const [name, value] of Object.entries({ holdTimeoutMs, maxHeld, halfOpenTimeoutMs, peekTimeoutMs })) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
  }

  const dispatcher = new Dispatcher({ holdTimeoutMs, connectTimeoutMs: CONNECT_TIMEOUT_MS, log });
  let servers: net.Server[] = [];
  let closing = false;
  /** Every socket we hold (clients and gateway sockets); close() waits for all of them. */
  const sockets = new Set<net.Socket>();
  const loggedRefusals = new Set<string>();
  let originLogCapped = false;
  let seq = 0;
  const counters = { pipedTotal: 0, refusedOrigins: 0, heldRejected: 0 };

  const context: DoorContext = {
    dispatcher,
    peekTimeoutMs,
    halfOpenTimeoutMs,
    policy: {
      allowOrigin: (origin) => isOriginAllowed(origin, options.allowedOrigins()),
      allowHost: (host) => isHostAllowed(host, options.allowedOrigins()),
    },
    isClosing: () => closing,
    track(socket) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    },
    refused({ header, value }) {
      counters.refusedOrigins += 1;
      const key = `${header} ${value}`;
      if (loggedRefusals.has(key)) return;
      if (loggedRefusals.size >= MAX_LOGGED_ORIGINS) {
        if (!originLogCapped) log('warn', `front door: refused more than ${MAX_LOGGED_ORIGINS} distinct origins or hosts; no longer naming each`);
        originLogCapped = true;
        return;
      }
      loggedRefusals.add(key);
      const shown = JSON.stringify(value.slice(0, 200));
      log(
        'warn',
        header === 'origin'
          ? `front door: refused a browser connection from origin ${shown} (not loopback, not in allowed origins)`
          : `front door: refused a request addressed to host ${shown} (not a loopback name, not an allowed origin's host: a web page reaching the gateway by DNS rebinding)`,
      );
    },
    log,
    waiting: new Set(),
    answering: new Set(),
    splices: new Set<Splice>(),
    piped: () => void (counters.pipedTotal += 1),
  };

  const onConnection = (client: net.Socket) => {
    context.track(client);
    if (closing) return void client.destroy();
    if (context.waiting.size >= maxHeld) {
      counters.heldRejected += 1;
      client.on('error', () => client.destroy());
      return void endClient(client, undefined, halfOpenTimeoutMs);
    }
    context.waiting.add(new DoorConnection(client, seq++, context));
  };

  const busyWith = (internalPort: number) =>
    dispatcher.connectsTo(internalPort) > 0 || [...context.answering].some((connection) => connection.answeringPort === internalPort);

  return {
    async listen() {
      if (servers.length > 0 || closing) throw new Error('the front door is already listening or closed');
      servers = await listenLoopback(port, onConnection);
      log('info', `front door listening on 127.0.0.1:${port}${servers.length > 1 ? ` and [::1]:${port}` : ''}`);
    },

    setTarget(internalPort) {
      assertPort(internalPort);
      if (internalPort === port) throw new RangeError(`the internal port must differ from the public port ${port}`);
      if (closing) return;
      const previous = dispatcher.internalPort;
      dispatcher.setTarget(internalPort);
      if (previous !== internalPort) log('info', `front door: new connections go to 127.0.0.1:${internalPort}`);
    },

    hold() {
      dispatcher.hold();
    },

    async drained(internalPort, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (busyWith(internalPort)) {
        if (Date.now() >= deadline) return false;
        await sleep(DRAIN_POLL_MS);
      }
      return true;
    },

    status() {
      return {
        listenPort: port,
        internalPort: dispatcher.internalPort,
        heldConnections: dispatcher.held,
        pipedConnections: context.splices.size,
        refusedOrigins: counters.refusedOrigins,
        pipedTotal: counters.pipedTotal,
        heldTotal: dispatcher.heldTotal,
        heldExpired: dispatcher.expiredTotal,
        heldRejected: counters.heldRejected,
        longestHoldMs: dispatcher.longestHoldMs,
      };
    },

    async close() {
      closing = true;
      const listening = closeServers(servers);
      dispatcher.close();
      for (const connection of [...context.waiting, ...context.answering]) connection.shutdown();
      for (const pair of context.splices) pair.end();
      await Promise.all([
        listening,
        ...[...sockets].map((socket) => new Promise((resolve) => (socket.closed ? resolve(undefined) : socket.once('close', resolve)))),
      ]);
    },
  };
}
