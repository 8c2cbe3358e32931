// How a failed handshake reads to the supervisor: the gateway's error response or close code →
// one ConnectError code. Pure, so the mapping has a table test.
import {
  CLOSE_CODES,
  CONNECT_ERROR_CODES,
  ERROR_CODES,
  STARTUP_UNAVAILABLE,
  connectErrorCode,
  readPairingRequestId,
  startupRetryAfterMs,
  type ErrorShape,
} from '../protocol';
import { ConnectError } from './types';

const AUTH_HINT = 'the gateway refused the token';
/** Bounds for a gateway-sent retryAfterMs that is not the startup kind (which the package bounds). */
const MIN_RETRY_AFTER_MS = 100;
const MAX_RETRY_AFTER_MS = 30_000;

function boundedRetryAfter(error: ErrorShape): number {
  const startup = startupRetryAfterMs(error);
  if (startup !== null) return startup;
  const sent = error.retryAfterMs;
  if (typeof sent !== 'number' || !Number.isFinite(sent)) return STARTUP_UNAVAILABLE.retryAfterMs;
  return Math.min(Math.max(Math.floor(sent), MIN_RETRY_AFTER_MS), MAX_RETRY_AFTER_MS);
}

function isAuthFailure(detail: string): boolean {
  return detail.startsWith('AUTH_') || detail.startsWith('DEVICE_AUTH_') || detail === CONNECT_ERROR_CODES.DEVICE_IDENTITY_REQUIRED;
}

/** The gateway answered `connect` with ok:false. */
export function connectErrorFromResponse(error: ErrorShape): ConnectError {
  const detail = connectErrorCode(error);
  const gatewayCode = detail;
  if (error.code === ERROR_CODES.UNAVAILABLE || detail === ERROR_CODES.UNAVAILABLE) {
    return new ConnectError('UNAVAILABLE', `gateway not ready: ${error.message}`, {
      gatewayCode,
      retryAfterMs: boundedRetryAfter(error),
    });
  }
  if (detail === CONNECT_ERROR_CODES.PROTOCOL_MISMATCH || detail === CONNECT_ERROR_CODES.CLIENT_VERSION_MISMATCH) {
    return new ConnectError('PROTOCOL_MISMATCH', `gateway speaks another protocol version: ${error.message}`, { gatewayCode });
  }
  // NOT_PAIRED also carries DEVICE_IDENTITY_REQUIRED, an auth failure: the detail code decides first.
  if (isAuthFailure(detail)) {
    return new ConnectError('AUTH_FAILED', `${AUTH_HINT} (${detail}): ${error.message}`, { gatewayCode });
  }
  if (detail === CONNECT_ERROR_CODES.PAIRING_REQUIRED || error.code === ERROR_CODES.NOT_PAIRED) {
    const requestId = readPairingRequestId(error);
    return new ConnectError(
      'PAIRING_REQUIRED',
      requestId ? `device pairing required (request ${requestId})` : 'device pairing required',
      requestId ? { gatewayCode, requestId } : { gatewayCode },
    );
  }
  // Unknown refusals read as a plain close: the supervisor retries those with backoff.
  return new ConnectError('CLOSED', `gateway refused the connection (${detail}): ${error.message}`, { gatewayCode });
}

/** The socket closed before hello-ok without an error response we could read. */
export function connectErrorFromClose(code: number, reason: string): ConnectError {
  const said = reason ? `: ${reason}` : '';
  switch (code) {
    case CLOSE_CODES.POLICY_VIOLATION:
      return /pairing/i.test(reason)
        ? new ConnectError('PAIRING_REQUIRED', `device pairing required${said}`)
        : new ConnectError('AUTH_FAILED', `${AUTH_HINT} (close 1008${said})`);
    case CLOSE_CODES.PROTOCOL_ERROR:
      return new ConnectError('PROTOCOL_MISMATCH', `gateway closed with a protocol error (1002${said})`);
    case CLOSE_CODES.TRY_AGAIN_LATER:
      return new ConnectError('UNAVAILABLE', `gateway not ready (1013${said})`, {
        retryAfterMs: STARTUP_UNAVAILABLE.retryAfterMs,
      });
    default:
      return new ConnectError('CLOSED', `gateway closed the connection during the handshake (${code}${said})`);
  }
}
