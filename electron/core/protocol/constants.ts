// Wire constants of the OpenClaw gateway protocol (v4), taken from @openclaw/gateway-protocol where it
// exports them, so our client and reference gateway cannot drift from the real peer.
//
// Package evaluation (2026.9.1, declares Node >= 22.19): its light subpath entries (version, client-info,
// frame-guards, connect-error-details, startup-unavailable, restart-unavailable, gateway-error-details)
// are plain ESM with no runtime dependency and no Node >= 22 API; they import and work on Node 20.20 and
// bundle with esbuild to CJS (target node20). We import only those subpaths: the root entry re-exports
// ~1300 typebox schemas (~120 KB + typebox) that neither side needs.
import { GATEWAY_CLIENT_IDS, GATEWAY_CLIENT_MODES } from '@openclaw/gateway-protocol/client-info';
import { ConnectErrorDetailCodes } from '@openclaw/gateway-protocol/connect-error-details';
import { ErrorCodes } from '@openclaw/gateway-protocol/gateway-error-details';
import {
  GATEWAY_STARTUP_CLOSE_CODE,
  GATEWAY_STARTUP_CLOSE_REASON,
  GATEWAY_STARTUP_RETRY_AFTER_MS,
  GATEWAY_STARTUP_UNAVAILABLE_REASON,
} from '@openclaw/gateway-protocol/startup-unavailable';
import { PROTOCOL_VERSION as PACKAGE_PROTOCOL_VERSION } from '@openclaw/gateway-protocol/version';

export const PROTOCOL_VERSION: 4 = PACKAGE_PROTOCOL_VERSION as 4;

/** WebSocket close codes the gateway uses, with what each means for a client. */
export const CLOSE_CODES = {
  /** Orderly close, e.g. no frame from the client within the challenge timeout. */
  NORMAL: 1000,
  /** Protocol version mismatch. */
  PROTOCOL_ERROR: 1002,
  /** Auth/policy refusal: bad token, bad signature, unknown client id, pairing required. */
  POLICY_VIOLATION: 1008,
  /** Frame larger than maxPayload. */
  MESSAGE_TOO_BIG: 1009,
  /** Shutdown or restart; a preceding `shutdown` event tells which. */
  SERVICE_RESTART: 1012,
  /** Still starting: retry after the error's retryAfterMs. */
  TRY_AGAIN_LATER: GATEWAY_STARTUP_CLOSE_CODE as 1013,
} as const;

export const CLOSE_REASONS = {
  SERVICE_RESTART: 'service restart',
  GATEWAY_STARTING: GATEWAY_STARTUP_CLOSE_REASON,
  PROTOCOL_MISMATCH: 'protocol mismatch',
} as const;

/** The client id a supervisor uses (the registry's `gateway-client`). */
export const SUPERVISOR_CLIENT_ID = GATEWAY_CLIENT_IDS.GATEWAY_CLIENT;
export const CLIENT_MODES = GATEWAY_CLIENT_MODES;
export const OPERATOR_ROLE = 'operator';
/** The supervisor only reads health and status; it asks for nothing more. */
export const SUPERVISOR_SCOPES: readonly string[] = ['operator.read'];

/**
 * Top-level `error.code` values. OpenClaw puts auth/handshake failures under `INVALID_REQUEST` (or
 * `NOT_PAIRED`) and the specific reason in `error.details.code` — read it with `connectErrorCode()`.
 */
export const ERROR_CODES = ErrorCodes;
/** Specific handshake failure codes carried in `error.details.code`. */
export const CONNECT_ERROR_CODES = ConnectErrorDetailCodes;

export const STARTUP_UNAVAILABLE = {
  reason: GATEWAY_STARTUP_UNAVAILABLE_REASON,
  retryAfterMs: GATEWAY_STARTUP_RETRY_AFTER_MS,
} as const;

/** Server-side: a socket that sends no frame within this time after the challenge is closed 1000. */
export const HANDSHAKE_TIMEOUT_MS = 15_000;

export const EVENTS = {
  CHALLENGE: 'connect.challenge',
  SHUTDOWN: 'shutdown',
  TICK: 'tick',
} as const;

export const METHODS = {
  CONNECT: 'connect',
  HEALTH: 'health',
  STATUS: 'status',
} as const;
