// Readers for what the gateway sends: challenge, hello-ok, shutdown, and structured errors.
// Error readers delegate to @openclaw/gateway-protocol so our reading matches the real client's.
import { readConnectErrorDetailCode, readPairingConnectErrorDetails } from '@openclaw/gateway-protocol/connect-error-details';
import { isGatewayRestartUnavailableError } from '@openclaw/gateway-protocol/restart-unavailable';
import { resolveGatewayStartupRetryAfterMs } from '@openclaw/gateway-protocol/startup-unavailable';
import type { Challenge } from './connect';
import { EVENTS } from './constants';
import type { ErrorShape, EventFrame } from './frames';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** A `connect.challenge` with a non-empty nonce and a non-negative integer ts, else null. */
export function readChallenge(frame: EventFrame): Challenge | null {
  if (frame.event !== EVENTS.CHALLENGE || !isRecord(frame.payload)) return null;
  const { nonce, ts } = frame.payload;
  if (typeof nonce !== 'string' || nonce.length === 0 || !isNonNegativeInteger(ts)) return null;
  return { nonce, ts };
}

export interface ShutdownNotice {
  reason: string;
  /** A number means a restart is expected; absent means a terminal shutdown. */
  restartExpectedMs?: number;
}

export function readShutdown(frame: EventFrame): ShutdownNotice | null {
  if (frame.event !== EVENTS.SHUTDOWN || !isRecord(frame.payload)) return null;
  const { reason, restartExpectedMs } = frame.payload;
  if (typeof reason !== 'string') return null;
  return isNonNegativeInteger(restartExpectedMs) ? { reason, restartExpectedMs } : { reason };
}

/** The hello-ok fields Pincer uses (the full schema has many more, all optional to us). */
export interface HelloOk {
  type: 'hello-ok';
  protocol: number;
  server: { version: string; connId: string; bootId?: string };
  auth: { role: string; scopes: string[]; deviceToken?: string };
  policy: { maxPayload: number; tickIntervalMs: number; maxBufferedBytes?: number };
}

export function readHelloOk(payload: unknown): HelloOk | null {
  if (!isRecord(payload) || payload.type !== 'hello-ok' || !isNonNegativeInteger(payload.protocol)) return null;
  const { server, auth, policy } = payload;
  if (!isRecord(server) || typeof server.version !== 'string' || typeof server.connId !== 'string') return null;
  if (server.bootId !== undefined && typeof server.bootId !== 'string') return null;
  if (!isRecord(auth) || typeof auth.role !== 'string' || !Array.isArray(auth.scopes)) return null;
  if (auth.deviceToken !== undefined && typeof auth.deviceToken !== 'string') return null;
  if (!isRecord(policy) || !isNonNegativeInteger(policy.maxPayload) || !isNonNegativeInteger(policy.tickIntervalMs)) return null;
  return {
    type: 'hello-ok',
    protocol: payload.protocol,
    server: {
      version: server.version,
      connId: server.connId,
      ...(server.bootId === undefined ? {} : { bootId: server.bootId }),
    },
    auth: {
      role: auth.role,
      scopes: auth.scopes.filter((scope): scope is string => typeof scope === 'string'),
      ...(auth.deviceToken === undefined ? {} : { deviceToken: auth.deviceToken }),
    },
    policy: {
      maxPayload: policy.maxPayload,
      tickIntervalMs: policy.tickIntervalMs,
      ...(isNonNegativeInteger(policy.maxBufferedBytes) ? { maxBufferedBytes: policy.maxBufferedBytes } : {}),
    },
  };
}

/**
 * The specific code of an error: OpenClaw sends handshake failures as `INVALID_REQUEST`/`NOT_PAIRED`
 * with the reason (AUTH_TOKEN_MISMATCH, PAIRING_REQUIRED, …) in `details.code`.
 */
export function connectErrorCode(error: ErrorShape): string {
  return readConnectErrorDetailCode(error.details) ?? error.code;
}

/** The pairing request to approve, when the error is PAIRING_REQUIRED with a request id. */
export function readPairingRequestId(error: ErrorShape): string | undefined {
  return readPairingConnectErrorDetails(error.details)?.requestId;
}

/** For a retryable startup UNAVAILABLE: the bounded delay before reconnecting (100–2000 ms); else null. */
export function startupRetryAfterMs(error: ErrorShape): number | null {
  return resolveGatewayStartupRetryAfterMs(error);
}

/** True when the gateway refused work because it is draining for a restart. */
export function isRestartUnavailable(error: ErrorShape): boolean {
  return isGatewayRestartUnavailableError(error);
}
