// The refusals a gateway sends during the handshake, shaped as OpenClaw 2026.9.6 sends them
// (message-handler: top-level code INVALID_REQUEST / NOT_PAIRED / UNAVAILABLE, the specific reason in
// details.code) together with the close code that follows. Used by the reference gateway, and by client
// tests as faithful fixtures.
import { buildPairingConnectCloseReason, buildPairingConnectErrorDetails } from '@openclaw/gateway-protocol/connect-error-details';
import { gatewayStartupUnavailableDetails } from '@openclaw/gateway-protocol/startup-unavailable';
import { CLOSE_CODES, CLOSE_REASONS, CONNECT_ERROR_CODES, ERROR_CODES, PROTOCOL_VERSION, STARTUP_UNAVAILABLE } from './constants';
import type { ErrorShape } from './frames';

export interface Refusal {
  error: ErrorShape;
  close: { code: number; reason: string };
}

/** WebSocket close reasons are limited to 123 bytes of UTF-8. */
export function truncateCloseReason(reason: string): string {
  const bytes = Buffer.from(reason, 'utf8');
  if (bytes.length <= 123) return reason;
  return (
    bytes
      .subarray(0, 120)
      .toString('utf8')
      .replace(/\uFFFD+$/, '') + '…'
  );
}

function policyRefusal(error: ErrorShape): Refusal {
  return { error, close: { code: CLOSE_CODES.POLICY_VIOLATION, reason: truncateCloseReason(error.message) } };
}

export function invalidRequestRefusal(message: string): Refusal {
  return policyRefusal({ code: ERROR_CODES.INVALID_REQUEST, message });
}

export function protocolMismatchRefusal(clientMinProtocol: number, clientMaxProtocol: number): Refusal {
  return {
    error: {
      code: ERROR_CODES.INVALID_REQUEST,
      message: 'protocol mismatch',
      details: { code: CONNECT_ERROR_CODES.PROTOCOL_MISMATCH, clientMinProtocol, clientMaxProtocol, expectedProtocol: PROTOCOL_VERSION },
    },
    close: { code: CLOSE_CODES.PROTOCOL_ERROR, reason: CLOSE_REASONS.PROTOCOL_MISMATCH },
  };
}

export function startupUnavailableRefusal(): Refusal {
  return {
    error: {
      code: ERROR_CODES.UNAVAILABLE,
      message: 'gateway starting; retry shortly',
      retryable: true,
      retryAfterMs: STARTUP_UNAVAILABLE.retryAfterMs,
      details: gatewayStartupUnavailableDetails(),
    },
    close: { code: CLOSE_CODES.TRY_AGAIN_LATER, reason: CLOSE_REASONS.GATEWAY_STARTING },
  };
}

export type AuthFailure = 'token-missing' | 'token-mismatch' | 'device-token-mismatch';

const AUTH_FAILURES: Record<AuthFailure, { code: string; authReason: string; message: string }> = {
  'token-missing': { code: CONNECT_ERROR_CODES.AUTH_TOKEN_MISSING, authReason: 'token_missing', message: 'unauthorized: gateway token missing' },
  'token-mismatch': { code: CONNECT_ERROR_CODES.AUTH_TOKEN_MISMATCH, authReason: 'token_mismatch', message: 'unauthorized: gateway token mismatch' },
  'device-token-mismatch': {
    code: CONNECT_ERROR_CODES.AUTH_DEVICE_TOKEN_MISMATCH,
    authReason: 'device_token_mismatch',
    message: 'unauthorized: device token mismatch',
  },
};

export function authRefusal(failure: AuthFailure): Refusal {
  const { code, authReason, message } = AUTH_FAILURES[failure];
  return policyRefusal({ code: ERROR_CODES.INVALID_REQUEST, message, details: { code, authReason } });
}

export function deviceIdentityRequiredRefusal(): Refusal {
  return policyRefusal({
    code: ERROR_CODES.NOT_PAIRED,
    message: 'device identity required',
    details: { code: CONNECT_ERROR_CODES.DEVICE_IDENTITY_REQUIRED },
  });
}

/** A device proof that failed verifyDeviceProof (code is one of the DEVICE_AUTH_* detail codes). */
export function deviceAuthRefusal(code: string, message: string): Refusal {
  return policyRefusal({ code: ERROR_CODES.INVALID_REQUEST, message, details: { code } });
}

export function pairingRequiredRefusal(input: { requestId: string; deviceId: string; role: string; scopes: string[] }): Refusal {
  const details = buildPairingConnectErrorDetails({
    reason: 'not-paired',
    requestId: input.requestId,
    deviceId: input.deviceId,
    requestedRole: input.role,
    requestedScopes: input.scopes,
  });
  return {
    error: { code: ERROR_CODES.NOT_PAIRED, message: 'pairing required', details },
    close: {
      code: CLOSE_CODES.POLICY_VIOLATION,
      reason: truncateCloseReason(buildPairingConnectCloseReason({ reason: 'not-paired', requestId: input.requestId })),
    },
  };
}
