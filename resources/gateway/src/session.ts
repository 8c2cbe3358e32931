// One client WebSocket: challenge → connect → hello-ok → RPC, with every path ending in a closed socket
// (close, then terminate after a grace period) and every timer cleared.
import crypto from 'node:crypto';
import type { WebSocket, RawData } from 'ws';
import {
  CLOSE_CODES,
  ERROR_CODES,
  EVENTS,
  METHODS,
  PROTOCOL_VERSION,
  encodeErrorResponse,
  encodeEvent,
  encodeResponse,
  invalidRequestRefusal,
  parseFrame,
  type Challenge,
  type RequestFrame,
} from '../../../electron/core/protocol';
import { decideConnect } from './handshake';
import type { Faults, Tuning } from './faults';

/** How long a client gets to answer our close frame before its socket is destroyed. */
export const CLIENT_CLOSE_GRACE_MS = 1000;

/** What a session reads from the gateway that owns it. */
export interface SessionHost {
  readonly token: string;
  readonly faults: Faults;
  readonly tuning: Tuning;
  readonly version: string;
  /** The device token this gateway issues to a device (stable across restarts, like OpenClaw's paired devices). */
  deviceTokenFor(deviceId: string): string;
  readonly bootId: string;
  isStarting(): boolean;
  isHung(): boolean;
  /** Result of a method call after the handshake (params are not needed by health/status); undefined if unknown. */
  callMethod(method: string): unknown;
}

type SessionState = 'awaiting-connect' | 'connected' | 'closing' | 'closed';

export class ClientSession {
  readonly connId = crypto.randomUUID();
  /** Resolves once the socket is closed (or, for a leaking gateway, never). */
  readonly closed: Promise<void>;
  private state: SessionState = 'awaiting-connect';
  private readonly challenge: Challenge = { nonce: crypto.randomUUID(), ts: Date.now() };
  private handshakeTimer?: NodeJS.Timeout;
  private terminateTimer?: NodeJS.Timeout;
  private seq = 0;

  constructor(
    private readonly ws: WebSocket,
    private readonly host: SessionHost,
  ) {
    this.closed = new Promise((resolve) => {
      ws.once('close', () => {
        this.state = 'closed';
        clearTimeout(this.handshakeTimer);
        clearTimeout(this.terminateTimer);
        resolve();
      });
    });
    ws.on('error', () => ws.terminate());
    ws.on('message', (data: RawData) => this.onMessage(data));
    // autoPong is off on the server so that a hung gateway stops answering pings, as a frozen one would.
    ws.on('ping', (data: Buffer) => {
      if (!host.isHung()) ws.pong(data);
    });
    this.sendEvent(EVENTS.CHALLENGE, this.challenge);
    this.handshakeTimer = setTimeout(() => {
      if (!host.isHung()) void this.close(CLOSE_CODES.NORMAL, 'handshake timeout');
    }, host.tuning.handshakeTimeoutMs);
  }

  get isConnected(): boolean {
    return this.state === 'connected';
  }

  sendEvent(event: string, payload: unknown): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.ws.send(encodeEvent(event, payload, this.seq++));
  }

  /** Close with a code; destroy the socket if the client does not complete the close in time. */
  close(code: number, reason: string): Promise<void> {
    if (this.host.faults.neverCloseClients) return this.closed;
    if (this.state === 'closing' || this.state === 'closed') return this.closed;
    this.state = 'closing';
    clearTimeout(this.handshakeTimer);
    this.ws.close(code, reason);
    this.terminateTimer = setTimeout(() => this.ws.terminate(), CLIENT_CLOSE_GRACE_MS);
    return this.closed;
  }

  private onMessage(data: RawData): void {
    if (this.host.isHung() || this.state === 'closing' || this.state === 'closed') return;
    clearTimeout(this.handshakeTimer);
    const parsed = parseFrame(data);
    if (this.state === 'awaiting-connect') {
      this.onFirstFrame(parsed.ok && parsed.frame.type === 'req' ? parsed.frame : undefined);
      return;
    }
    // After the handshake, frames that are not requests are ignored, as OpenClaw does.
    if (parsed.ok && parsed.frame.type === 'req') this.onRequest(parsed.frame);
  }

  private onFirstFrame(request: RequestFrame | undefined): void {
    if (!request || request.method !== METHODS.CONNECT) {
      const refusal = invalidRequestRefusal('invalid handshake: first request must be connect');
      if (request) this.ws.send(encodeErrorResponse(request.id, refusal.error));
      void this.close(refusal.close.code, refusal.close.reason);
      return;
    }
    const decision = decideConnect(request.params, {
      token: this.host.token,
      challenge: this.challenge,
      starting: this.host.isStarting(),
      refuse: this.host.faults.refuseHandshake,
      deviceTokenFor: (deviceId) => this.host.deviceTokenFor(deviceId),
    });
    if (!decision.ok) {
      this.ws.send(encodeErrorResponse(request.id, decision.error));
      void this.close(decision.close.code, decision.close.reason);
      return;
    }
    const deviceToken = this.host.deviceTokenFor(decision.deviceId);
    this.state = 'connected';
    const { maxPayload, tickIntervalMs } = this.host.tuning;
    this.ws.send(
      encodeResponse(request.id, {
        type: 'hello-ok',
        protocol: PROTOCOL_VERSION,
        server: { version: this.host.version, bootId: this.host.bootId, connId: this.connId },
        features: { methods: [METHODS.HEALTH, METHODS.STATUS], events: [EVENTS.SHUTDOWN, EVENTS.TICK] },
        snapshot: {},
        auth: {
          role: decision.params.role ?? 'operator',
          scopes: decision.params.scopes ?? [],
          deviceToken,
          issuedAtMs: Date.now(),
        },
        policy: { maxPayload, maxBufferedBytes: maxPayload * 2, tickIntervalMs },
      }),
    );
    if (this.host.faults.malformed) this.sendMalformedFrames();
  }

  private onRequest(request: RequestFrame): void {
    if (request.method === METHODS.CONNECT) {
      this.ws.send(encodeErrorResponse(request.id, { code: ERROR_CODES.INVALID_REQUEST, message: 'already connected' }));
      return;
    }
    const result = this.host.callMethod(request.method);
    if (result === undefined) {
      this.ws.send(encodeErrorResponse(request.id, { code: ERROR_CODES.INVALID_REQUEST, message: `unknown method: ${request.method}` }));
      return;
    }
    this.ws.send(encodeResponse(request.id, result));
  }

  /** PINCER_REFGW_MALFORMED: what a broken gateway might send; the last frame exceeds the announced maxPayload. */
  private sendMalformedFrames(): void {
    this.ws.send('this is not json');
    this.ws.send('{"type":"bogus","payload":1}');
    this.ws.send('[1,2,3]');
    this.ws.send(encodeResponse('no-such-request', { stray: true }));
    this.ws.send(encodeEvent('oversized', { data: 'x'.repeat(this.host.tuning.maxPayload) }, this.seq++));
  }
}
