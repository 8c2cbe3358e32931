// One established control connection: routes frames, runs calls and the heartbeat, and turns every
// way the socket can end into exactly one outcome — close() resolved, or one ConnectionLoss — with
// the socket destroyed, listeners removed, timers cleared and pending calls rejected.
import WebSocket from 'ws';
import { CLOSE_CODES, EVENTS, encodeRequest, parseFrame, readShutdown, type FrameData, type HelloOk } from '../protocol';
import { PONG_DEADLINE_FACTOR, startHeartbeat } from './heartbeat';
import { DEFAULT_REQUEST_TIMEOUT_MS, GatewayConnectionClosedError, GatewayRequestError, GatewayRestartingError, PendingCalls } from './rpc';
import { closeSocket, scrubListeners, terminateSocket } from './socket';
import type { ConnectOptions, ConnectionLoss, ControlConnection, HelloInfo, RequestOptions, ShutdownNotice } from './types';

const CLIENT_CLOSE_CODE = CLOSE_CODES.NORMAL;
const CLIENT_CLOSE_REASON = 'client closing';
/** ws's error code for an inbound frame past maxPayload (it then closes 1009). */
const WS_MESSAGE_TOO_BIG = 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';

export function helloInfo(hello: HelloOk): HelloInfo {
  return {
    serverVersion: hello.server.version,
    // Empty when the gateway does not report one (older OpenClaw builds): no restart can be inferred.
    bootId: hello.server.bootId ?? '',
    connId: hello.server.connId,
    maxPayload: hello.policy.maxPayload,
    tickIntervalMs: hello.policy.tickIntervalMs,
  };
}

export function createControlConnection(ws: WebSocket, hello: HelloInfo, options: Pick<ConnectOptions, 'heartbeatMs' | 'log'>): ControlConnection {
  const { log } = options;
  const calls = new PendingCalls();
  const lostListeners: Array<(loss: ConnectionLoss) => void> = [];
  let nextId = 0;
  let shutdown: ShutdownNotice | undefined;
  let hung = false;
  let closing: Promise<void> | undefined;
  let loss: ConnectionLoss | undefined;
  /** A close code ws sent itself but will not report (it stops reading after a protocol error). */
  let ownCloseCode: number | undefined;

  const heartbeat = startHeartbeat(ws, options.heartbeatMs, () => {
    hung = true;
    log('warn', `gateway did not answer pings for ${options.heartbeatMs * PONG_DEADLINE_FACTOR} ms: terminating the connection`);
    void terminateSocket(ws);
  });

  function onMessage(data: FrameData): void {
    heartbeat.alive();
    const parsed = parseFrame(data);
    if (!parsed.ok) {
      log('warn', `ignored a gateway frame (${parsed.reason})`);
      return;
    }
    const frame = parsed.frame;
    if (frame.type === 'res') {
      const known = calls.settle(frame.id, frame.ok ? { ok: true, payload: frame.payload } : { ok: false, error: frame.error });
      if (!known) log('debug', `ignored a response to an unknown or timed-out request ${JSON.stringify(frame.id).slice(0, 80)}`);
      return;
    }
    if (frame.type === 'event') {
      if (frame.event === EVENTS.SHUTDOWN) onShutdown(readShutdown(frame) ?? { reason: 'shutdown' });
      return;
    }
    log('warn', `ignored a ${frame.type} frame from the gateway`);
  }

  function onShutdown(notice: ShutdownNotice): void {
    shutdown = notice;
    log(
      'info',
      `gateway announced shutdown (${notice.reason}${notice.restartExpectedMs === undefined ? '' : `, restart expected in ${notice.restartExpectedMs} ms`})`,
    );
    calls.rejectAll(new GatewayRestartingError(notice));
  }

  function onClose(closeCode: number, reasonBuffer: Buffer): void {
    const code = ownCloseCode ?? closeCode;
    const reason = reasonBuffer.toString() || (ownCloseCode === CLOSE_CODES.MESSAGE_TOO_BIG ? 'frame too large' : '');
    heartbeat.stop();
    calls.rejectAll(shutdown ? new GatewayRestartingError(shutdown) : new GatewayConnectionClosedError(code, reason));
    scrubListeners(ws);
    if (closing) return;
    loss = {
      code,
      reason,
      ...(shutdown ? { shutdown } : {}),
      ...(hung ? { hung: true } : {}),
    };
    log(shutdown ? 'info' : 'warn', `gateway connection lost (code ${code}${reason ? `: ${reason}` : ''})`);
    for (const listener of lostListeners.splice(0)) notifyLost(listener, loss);
  }

  function notifyLost(listener: (loss: ConnectionLoss) => void, what: ConnectionLoss): void {
    try {
      listener(what);
    } catch (error) {
      log('error', `connection-loss listener threw: ${(error as Error).message}`);
    }
  }

  function onError(error: Error & { code?: string }): void {
    // 'close' follows every error. ws stops reading after a frame past maxPayload, so the loss would
    // read 1006; report the 1009 ws sent instead.
    if (error.code === WS_MESSAGE_TOO_BIG) ownCloseCode = CLOSE_CODES.MESSAGE_TOO_BIG;
    log('warn', `gateway connection error: ${error.message}`);
  }

  ws.on('error', onError);
  ws.on('message', onMessage);
  ws.on('pong', heartbeat.alive);
  ws.on('close', onClose);

  return {
    hello,

    request<T = unknown>(method: string, params?: unknown, requestOptions: RequestOptions = {}): Promise<T> {
      const timeoutMs = requestOptions.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
        return Promise.reject(new RangeError(`timeoutMs must be a positive number, got ${timeoutMs}`));
      }
      if (shutdown) return Promise.reject(new GatewayRestartingError(shutdown));
      if (closing || loss || ws.readyState !== WebSocket.OPEN) {
        return Promise.reject(new GatewayConnectionClosedError(loss?.code ?? CLIENT_CLOSE_CODE, loss?.reason ?? 'connection closed'));
      }
      const id = `p${++nextId}`;
      const frame = encodeRequest(id, method, params);
      // The gateway would close the whole connection (1009) for an oversized frame: fail just this call.
      // (A UTF-8 byte count is at most 3× the string length, so small frames skip the count.)
      if (hello.maxPayload > 0 && frame.length * 3 > hello.maxPayload && Buffer.byteLength(frame) > hello.maxPayload) {
        return Promise.reject(
          new GatewayRequestError(method, 'PAYLOAD_TOO_LARGE', `request exceeds the gateway's maxPayload of ${hello.maxPayload} bytes`),
        );
      }
      const result = calls.add<T>(id, method, timeoutMs);
      ws.send(frame);
      return result;
    },

    onLost(listener) {
      if (loss) {
        const what = loss;
        queueMicrotask(() => notifyLost(listener, what));
        return;
      }
      if (!closing) lostListeners.push(listener);
    },

    close() {
      if (closing) return closing;
      if (loss) {
        closing = Promise.resolve();
        return closing;
      }
      heartbeat.stop();
      calls.rejectAll(new GatewayConnectionClosedError(CLIENT_CLOSE_CODE, CLIENT_CLOSE_REASON));
      lostListeners.length = 0;
      closing = closeSocket(ws, CLIENT_CLOSE_CODE, CLIENT_CLOSE_REASON);
      return closing;
    },
  };
}
