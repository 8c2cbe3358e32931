// The opening of a control connection: wait for `connect.challenge`, answer with a signed `connect`,
// read `hello-ok`. Bounded as a whole by one deadline. Socket teardown after a failure is the
// caller's job (it knows whether the peer deserves a close handshake).
import { randomUUID } from 'node:crypto';
import type WebSocket from 'ws';
import {
  CLIENT_MODES,
  EVENTS,
  METHODS,
  SUPERVISOR_SCOPES,
  buildConnectParams,
  encodeRequest,
  parseFrame,
  readChallenge,
  readHelloOk,
  type FrameData,
  type HelloOk,
} from '../protocol';
import { connectErrorFromClose, connectErrorFromResponse } from './failure';
import type { DeviceIdentity } from './identity';
import { ConnectError, type ConnectOptions } from './types';

export interface HandshakeInput {
  identity: DeviceIdentity;
  /** Shared gateway token or a stored device token ('' with a password). */
  token: string;
  /** The shared password, for a gateway with password auth. */
  password?: string;
  clientVersion: string;
  timeoutMs: number;
  log: ConnectOptions['log'];
}

/** OpenClaw's platform names (its own clients send `macos` / `windows` / `linux`). */
export function gatewayPlatform(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'darwin':
      return 'macos';
    case 'win32':
      return 'windows';
    default:
      return platform;
  }
}

/**
 * Runs the handshake on a freshly opened socket. On hello-ok, `established` is called synchronously
 * from the message that carried it, so the caller's listeners are attached before ws can deliver the
 * next frame of the same chunk (a `shutdown` right after hello-ok is not lost).
 */
export function runHandshake<T>(ws: WebSocket, input: HandshakeInput, established: (hello: HelloOk) => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let stage = 'opening the WebSocket';
    let connectId: string | undefined;
    let socketError: Error | undefined;

    const deadline = setTimeout(() => {
      fail(new ConnectError('TIMEOUT', `gateway handshake timed out after ${input.timeoutMs} ms (${stage})`));
    }, input.timeoutMs);

    function detach(): void {
      clearTimeout(deadline);
      ws.off('open', onOpen);
      ws.off('message', onMessage);
      ws.off('close', onClose);
      ws.off('error', onError);
    }

    function fail(error: ConnectError): void {
      detach();
      // Keep an error listener until the caller ends the socket.
      ws.on('error', () => {});
      reject(error);
    }

    function onOpen(): void {
      stage = 'waiting for connect.challenge';
    }

    function sendConnect(frame: Parameters<typeof readChallenge>[0]): void {
      const challenge = readChallenge(frame);
      if (!challenge) {
        fail(new ConnectError('PROTOCOL_MISMATCH', 'gateway sent a malformed connect.challenge'));
        return;
      }
      connectId = randomUUID();
      const params = buildConnectParams({
        client: { version: input.clientVersion, platform: gatewayPlatform(), mode: CLIENT_MODES.BACKEND },
        scopes: SUPERVISOR_SCOPES,
        token: input.token,
        password: input.password,
        keyPair: input.identity.keyPair,
        challenge,
      });
      ws.send(encodeRequest(connectId, METHODS.CONNECT, params));
      stage = 'waiting for hello-ok';
    }

    function onMessage(data: FrameData): void {
      const parsed = parseFrame(data);
      if (!parsed.ok) {
        input.log('warn', `gateway handshake: ignored a frame (${parsed.reason})`);
        return;
      }
      const frame = parsed.frame;
      if (frame.type === 'event') {
        if (frame.event === EVENTS.CHALLENGE && connectId === undefined) sendConnect(frame);
        return;
      }
      if (frame.type !== 'res' || frame.id !== connectId) {
        input.log('debug', `gateway handshake: ignored a ${frame.type} frame`);
        return;
      }
      if (!frame.ok) {
        fail(connectErrorFromResponse(frame.error ?? { code: 'UNKNOWN', message: 'connect failed without an error' }));
        return;
      }
      const hello = readHelloOk(frame.payload);
      if (!hello) {
        fail(new ConnectError('PROTOCOL_MISMATCH', 'gateway sent an unreadable hello-ok'));
        return;
      }
      // `established` attaches its own listeners (error first) before ours go.
      let result: T;
      try {
        result = established(hello);
      } catch (error) {
        fail(new ConnectError('CLOSED', `could not set up the connection: ${(error as Error).message}`));
        return;
      }
      detach();
      resolve(result);
    }

    function onClose(code: number, reason: Buffer): void {
      const text = reason.toString();
      if (socketError && /timed out/i.test(socketError.message)) {
        fail(new ConnectError('TIMEOUT', `gateway handshake timed out (${stage}): ${socketError.message}`));
        return;
      }
      const error = connectErrorFromClose(code, text || socketError?.message || '');
      fail(error);
    }

    function onError(error: Error): void {
      // 'close' always follows; keep the cause for its message (ECONNREFUSED, handshake timeout).
      socketError = error;
    }

    ws.on('open', onOpen);
    ws.on('message', onMessage);
    ws.on('close', onClose);
    ws.on('error', onError);
  });
}
