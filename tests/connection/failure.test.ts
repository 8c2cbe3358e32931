import { describe, expect, it } from 'vitest';
import { connectErrorFromClose, connectErrorFromResponse } from '../../electron/core/connection/failure';
import {
  authRefusal,
  deviceAuthRefusal,
  deviceIdentityRequiredRefusal,
  pairingRequiredRefusal,
  protocolMismatchRefusal,
  startupUnavailableRefusal,
  CONNECT_ERROR_CODES,
  type ErrorShape,
} from '../../electron/core/protocol';

// Fixtures are the refusals shaped as OpenClaw 2026.9.6 sends them (electron/core/protocol/errors.ts).
describe('connectErrorFromResponse', () => {
  const table: Array<{ name: string; error: ErrorShape; code: string; details: Record<string, unknown> }> = [
    { name: 'wrong shared token', error: authRefusal('token-mismatch').error, code: 'AUTH_FAILED', details: { gatewayCode: 'AUTH_TOKEN_MISMATCH' } },
    { name: 'missing token', error: authRefusal('token-missing').error, code: 'AUTH_FAILED', details: { gatewayCode: 'AUTH_TOKEN_MISSING' } },
    {
      name: 'rejected device token',
      error: authRefusal('device-token-mismatch').error,
      code: 'AUTH_FAILED',
      details: { gatewayCode: 'AUTH_DEVICE_TOKEN_MISMATCH' },
    },
    {
      name: 'bad device signature',
      error: deviceAuthRefusal(CONNECT_ERROR_CODES.DEVICE_AUTH_SIGNATURE_INVALID, 'device signature invalid').error,
      code: 'AUTH_FAILED',
      details: { gatewayCode: 'DEVICE_AUTH_SIGNATURE_INVALID' },
    },
    {
      name: 'device identity required (sent as NOT_PAIRED)',
      error: deviceIdentityRequiredRefusal().error,
      code: 'AUTH_FAILED',
      details: { gatewayCode: 'DEVICE_IDENTITY_REQUIRED' },
    },
    {
      name: 'pairing required with request id',
      error: pairingRequiredRefusal({ requestId: 'req-42', deviceId: 'd', role: 'operator', scopes: ['operator.read'] }).error,
      code: 'PAIRING_REQUIRED',
      details: { gatewayCode: 'PAIRING_REQUIRED', requestId: 'req-42' },
    },
    {
      name: 'bare NOT_PAIRED',
      error: { code: 'NOT_PAIRED', message: 'pairing required' },
      code: 'PAIRING_REQUIRED',
      details: { gatewayCode: 'NOT_PAIRED' },
    },
    {
      name: 'protocol mismatch',
      error: protocolMismatchRefusal(3, 3).error,
      code: 'PROTOCOL_MISMATCH',
      details: { gatewayCode: 'PROTOCOL_MISMATCH' },
    },
    {
      name: 'client version mismatch',
      error: { code: 'INVALID_REQUEST', message: 'client too old', details: { code: 'CLIENT_VERSION_MISMATCH' } },
      code: 'PROTOCOL_MISMATCH',
      details: { gatewayCode: 'CLIENT_VERSION_MISMATCH' },
    },
    {
      name: 'startup UNAVAILABLE',
      error: startupUnavailableRefusal().error,
      code: 'UNAVAILABLE',
      details: { gatewayCode: 'UNAVAILABLE', retryAfterMs: 500 },
    },
    {
      name: 'startup UNAVAILABLE asking for 50 ms is bounded up to 100 ms',
      error: { ...startupUnavailableRefusal().error, retryAfterMs: 50 },
      code: 'UNAVAILABLE',
      details: { gatewayCode: 'UNAVAILABLE', retryAfterMs: 100 },
    },
    {
      name: 'other UNAVAILABLE with a huge retryAfterMs is bounded to 30 s',
      error: { code: 'UNAVAILABLE', message: 'draining', retryAfterMs: 3_600_000 },
      code: 'UNAVAILABLE',
      details: { gatewayCode: 'UNAVAILABLE', retryAfterMs: 30_000 },
    },
    {
      name: 'UNAVAILABLE without retryAfterMs gets the startup default',
      error: { code: 'UNAVAILABLE', message: 'busy' },
      code: 'UNAVAILABLE',
      details: { gatewayCode: 'UNAVAILABLE', retryAfterMs: 500 },
    },
    {
      name: 'unknown refusal reads as a close',
      error: { code: 'INVALID_REQUEST', message: 'invalid role' },
      code: 'CLOSED',
      details: { gatewayCode: 'INVALID_REQUEST' },
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const mapped = connectErrorFromResponse(row.error);
      expect(mapped.name).toBe('ConnectError');
      expect(mapped.code).toBe(row.code);
      expect(mapped.details).toEqual(row.details);
      expect(mapped.message).toContain(row.error.message);
    });
  }
});

describe('connectErrorFromClose', () => {
  const table: Array<{ close: number; reason: string; code: string; retryAfterMs?: number }> = [
    { close: 1008, reason: 'unauthorized: gateway token mismatch', code: 'AUTH_FAILED' },
    {
      close: 1008,
      reason: pairingRequiredRefusal({ requestId: 'r1', deviceId: 'd', role: 'operator', scopes: [] }).close.reason,
      code: 'PAIRING_REQUIRED',
    },
    { close: 1002, reason: 'protocol mismatch', code: 'PROTOCOL_MISMATCH' },
    { close: 1013, reason: 'gateway starting', code: 'UNAVAILABLE', retryAfterMs: 500 },
    { close: 1006, reason: 'connect ECONNREFUSED 127.0.0.1:1', code: 'CLOSED' },
    { close: 1012, reason: 'service restart', code: 'CLOSED' },
    { close: 1000, reason: '', code: 'CLOSED' },
  ];
  for (const row of table) {
    it(`${row.close} ${row.reason || '(no reason)'} → ${row.code}`, () => {
      const mapped = connectErrorFromClose(row.close, row.reason);
      expect(mapped.code).toBe(row.code);
      expect(mapped.details.retryAfterMs).toBe(row.retryAfterMs);
      if (row.reason) expect(mapped.message).toContain(row.reason);
    });
  }
});
