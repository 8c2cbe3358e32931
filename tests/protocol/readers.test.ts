import { describe, expect, it } from 'vitest';
import {
  connectErrorCode,
  isRestartUnavailable,
  readChallenge,
  readHelloOk,
  readPairingRequestId,
  readShutdown,
  startupRetryAfterMs,
  type ErrorShape,
} from '../../electron/core/protocol';

describe('readChallenge', () => {
  it.each([
    [
      { nonce: 'n', ts: 5 },
      { nonce: 'n', ts: 5 },
    ],
    [
      { nonce: 'n', ts: 5, extra: 1 },
      { nonce: 'n', ts: 5 },
    ],
    [{ nonce: '', ts: 5 }, null],
    [{ nonce: 'n', ts: -1 }, null],
    [{ nonce: 'n', ts: 1.5 }, null],
    [{ nonce: 'n' }, null],
    [null, null],
  ])('%j → %j', (payload, expected) => {
    expect(readChallenge({ type: 'event', event: 'connect.challenge', payload })).toEqual(expected);
  });
  it('ignores other events', () => {
    expect(readChallenge({ type: 'event', event: 'tick', payload: { nonce: 'n', ts: 1 } })).toBeNull();
  });
});

describe('readShutdown', () => {
  it.each([
    [{ reason: 'SIGTERM' }, { reason: 'SIGTERM' }],
    [
      { reason: 'restart', restartExpectedMs: 300 },
      { reason: 'restart', restartExpectedMs: 300 },
    ],
    [{ reason: 'stop', restartExpectedMs: null }, { reason: 'stop' }],
    [{ restartExpectedMs: 1 }, null],
  ])('%j → %j', (payload, expected) => {
    expect(readShutdown({ type: 'event', event: 'shutdown', payload })).toEqual(expected);
  });
});

describe('readHelloOk', () => {
  const hello = {
    type: 'hello-ok',
    protocol: 4,
    server: { version: '1.0.0', connId: 'c1', bootId: 'b1' },
    features: { methods: ['health'], events: [] },
    snapshot: {},
    auth: { role: 'operator', scopes: ['operator.read'], deviceToken: 'dt' },
    policy: { maxPayload: 1024, maxBufferedBytes: 2048, tickIntervalMs: 15000 },
  };
  it('reads the fields Pincer keeps', () => {
    expect(readHelloOk(hello)).toEqual({
      type: 'hello-ok',
      protocol: 4,
      server: { version: '1.0.0', connId: 'c1', bootId: 'b1' },
      auth: { role: 'operator', scopes: ['operator.read'], deviceToken: 'dt' },
      policy: { maxPayload: 1024, maxBufferedBytes: 2048, tickIntervalMs: 15000 },
    });
  });
  it.each([
    ['wrong type', { ...hello, type: 'hello' }],
    ['no server version', { ...hello, server: { connId: 'c' } }],
    ['bootId not a string', { ...hello, server: { ...hello.server, bootId: 3 } }],
    ['no policy', { ...hello, policy: undefined }],
    ['no auth', { ...hello, auth: undefined }],
  ])('null when %s', (_name, payload) => {
    expect(readHelloOk(payload)).toBeNull();
  });
});

describe('error readers', () => {
  // Shapes as OpenClaw 2026.9.6 sends them (message-handler: errorShape(ErrorCodes.X, message, {details})).
  const tokenMismatch: ErrorShape = {
    code: 'INVALID_REQUEST',
    message: 'unauthorized: gateway token mismatch',
    details: { code: 'AUTH_TOKEN_MISMATCH', authReason: 'token_mismatch' },
  };
  const pairing: ErrorShape = {
    code: 'NOT_PAIRED',
    message: 'pairing required',
    details: { code: 'PAIRING_REQUIRED', reason: 'not-paired', requestId: 'req-123' },
  };
  const starting: ErrorShape = {
    code: 'UNAVAILABLE',
    message: 'gateway starting; retry shortly',
    retryable: true,
    retryAfterMs: 500,
    details: { reason: 'startup-sidecars' },
  };

  it('connectErrorCode prefers details.code, else the top-level code', () => {
    expect(connectErrorCode(tokenMismatch)).toBe('AUTH_TOKEN_MISMATCH');
    expect(connectErrorCode(pairing)).toBe('PAIRING_REQUIRED');
    expect(connectErrorCode(starting)).toBe('UNAVAILABLE');
    expect(connectErrorCode({ code: 'X', message: 'm', details: 'not an object' })).toBe('X');
  });

  it('readPairingRequestId reads the request id of a pairing refusal only', () => {
    expect(readPairingRequestId(pairing)).toBe('req-123');
    expect(readPairingRequestId(tokenMismatch)).toBeUndefined();
  });

  it('startupRetryAfterMs bounds the delay and ignores other errors', () => {
    expect(startupRetryAfterMs(starting)).toBe(500);
    expect(startupRetryAfterMs({ ...starting, retryAfterMs: 60_000 })).toBe(2000);
    expect(startupRetryAfterMs({ ...starting, retryAfterMs: 0 })).toBe(100);
    expect(startupRetryAfterMs({ ...starting, retryable: false })).toBeNull();
    expect(startupRetryAfterMs(tokenMismatch)).toBeNull();
  });

  it('isRestartUnavailable recognises a restart drain', () => {
    expect(isRestartUnavailable({ code: 'UNAVAILABLE', message: 'm', details: { reason: 'gateway-restarting' } })).toBe(true);
    expect(isRestartUnavailable(starting)).toBe(false);
  });
});
