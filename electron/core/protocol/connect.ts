// The `connect` request: built by our client, read and checked by our reference gateway. One module so
// both sides agree on the exact fields the v3 device signature covers.
import type { ConnectParams } from '@openclaw/gateway-protocol/frame-guards';
import {
  normalizeGatewayClientId,
  normalizeGatewayClientMode,
  type GatewayClientId,
  type GatewayClientMode,
} from '@openclaw/gateway-protocol/client-info';
import { CONNECT_ERROR_CODES, OPERATOR_ROLE, PROTOCOL_VERSION, SUPERVISOR_CLIENT_ID } from './constants';
import {
  buildDeviceAuthPayloadV3,
  deviceIdFromPublicKey,
  publicKeyFromBase64Url,
  publicKeyToBase64Url,
  signDeviceAuth,
  verifyDeviceAuth,
  type DeviceKeyPair,
} from './device-auth';

export type { ConnectParams, GatewayClientId, GatewayClientMode };
export type ConnectDevice = NonNullable<ConnectParams['device']>;

/** The server's `connect.challenge` payload: the device proof must echo both values. */
export interface Challenge {
  nonce: string;
  ts: number;
}

export interface BuildConnectParamsInput {
  client: {
    version: string;
    platform: string;
    /** `backend` for a supervisor; `ui` for an interactive shell. */
    mode: GatewayClientMode;
    id?: GatewayClientId;
    deviceFamily?: string;
  };
  scopes: readonly string[];
  /** Shared gateway token or a device token from an earlier hello-ok ('' with a password). */
  token: string;
  /** The shared password (password auth); the device signature then covers no token. */
  password?: string;
  keyPair: DeviceKeyPair;
  challenge: Challenge;
}

export function buildConnectParams(input: BuildConnectParamsInput): ConnectParams {
  const clientId = input.client.id ?? SUPERVISOR_CLIENT_ID;
  const scopes = [...input.scopes];
  const deviceId = deviceIdFromPublicKey(input.keyPair.publicKeyRaw);
  const payload = buildDeviceAuthPayloadV3({
    deviceId,
    clientId,
    clientMode: input.client.mode,
    role: OPERATOR_ROLE,
    scopes,
    signedAtMs: input.challenge.ts,
    token: input.token,
    nonce: input.challenge.nonce,
    platform: input.client.platform,
    deviceFamily: input.client.deviceFamily,
  });
  return {
    minProtocol: PROTOCOL_VERSION,
    maxProtocol: PROTOCOL_VERSION,
    client: {
      id: clientId,
      version: input.client.version,
      platform: input.client.platform,
      mode: input.client.mode,
      ...(input.client.deviceFamily === undefined ? {} : { deviceFamily: input.client.deviceFamily }),
    },
    role: OPERATOR_ROLE,
    scopes,
    caps: [],
    auth: { ...(input.token ? { token: input.token } : {}), ...(input.password ? { password: input.password } : {}) },
    device: {
      id: deviceId,
      publicKey: publicKeyToBase64Url(input.keyPair.publicKeyRaw),
      signature: signDeviceAuth(input.keyPair.privateKey, payload),
      signedAt: input.challenge.ts,
      nonce: input.challenge.nonce,
    },
  };
}

export type ReadConnectParamsResult =
  { ok: true; params: ConnectParams } | { ok: false; problem: 'invalid-params' | 'unknown-client-id' | 'unknown-client-mode'; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Server side: shape-checks untrusted connect params (the fields this protocol subset uses). */
export function readConnectParams(raw: unknown): ReadConnectParamsResult {
  const invalid = (message: string): ReadConnectParamsResult => ({ ok: false, problem: 'invalid-params', message });
  if (!isRecord(raw)) return invalid('connect params must be an object');
  if (!isNonNegativeInteger(raw.minProtocol) || !isNonNegativeInteger(raw.maxProtocol)) {
    return invalid('minProtocol and maxProtocol must be integers');
  }
  const client = raw.client;
  if (!isRecord(client) || typeof client.id !== 'string' || typeof client.version !== 'string') {
    return invalid('client.id and client.version are required');
  }
  if (typeof client.platform !== 'string' || typeof client.mode !== 'string') {
    return invalid('client.platform and client.mode are required');
  }
  if (normalizeGatewayClientId(client.id) !== client.id) {
    return { ok: false, problem: 'unknown-client-id', message: `unknown client id ${JSON.stringify(client.id)}` };
  }
  if (normalizeGatewayClientMode(client.mode) !== client.mode) {
    return { ok: false, problem: 'unknown-client-mode', message: `unknown client mode ${JSON.stringify(client.mode)}` };
  }
  if (client.deviceFamily !== undefined && typeof client.deviceFamily !== 'string') return invalid('client.deviceFamily must be a string');
  if (raw.role !== undefined && typeof raw.role !== 'string') return invalid('role must be a string');
  if (raw.scopes !== undefined && !isStringArray(raw.scopes)) return invalid('scopes must be an array of strings');
  if (raw.caps !== undefined && !isStringArray(raw.caps)) return invalid('caps must be an array of strings');
  if (raw.auth !== undefined) {
    if (!isRecord(raw.auth)) return invalid('auth must be an object');
    for (const key of ['token', 'deviceToken'] as const) {
      if (raw.auth[key] !== undefined && typeof raw.auth[key] !== 'string') return invalid(`auth.${key} must be a string`);
    }
  }
  if (raw.device !== undefined) {
    const device = raw.device;
    if (
      !isRecord(device) ||
      typeof device.id !== 'string' ||
      typeof device.publicKey !== 'string' ||
      typeof device.signature !== 'string' ||
      !isNonNegativeInteger(device.signedAt) ||
      typeof device.nonce !== 'string'
    ) {
      return invalid('device needs id, publicKey, signature, signedAt and nonce');
    }
  }
  return { ok: true, params: raw as ConnectParams };
}

export function supportsProtocol(params: Pick<ConnectParams, 'minProtocol' | 'maxProtocol'>): boolean {
  return params.minProtocol <= PROTOCOL_VERSION && params.maxProtocol >= PROTOCOL_VERSION;
}

/** The credential the device signature covers, in OpenClaw's order of precedence. */
export function signatureToken(params: ConnectParams): string | undefined {
  return params.auth?.token ?? params.auth?.deviceToken;
}

type ConnectErrorCode = (typeof CONNECT_ERROR_CODES)[keyof typeof CONNECT_ERROR_CODES];
export type DeviceProofResult = { ok: true; deviceId: string } | { ok: false; code: ConnectErrorCode; message: string };

/**
 * Server side: checks the device block against the challenge this socket was sent. Stricter than
 * OpenClaw (which allows ±2 min of clock skew): signedAt must be exactly the challenge's ts.
 */
export function verifyDeviceProof(params: ConnectParams, device: ConnectDevice, challenge: Challenge): DeviceProofResult {
  const raw = publicKeyFromBase64Url(device.publicKey);
  if (!raw) return { ok: false, code: CONNECT_ERROR_CODES.DEVICE_AUTH_PUBLIC_KEY_INVALID, message: 'device public key invalid' };
  if (deviceIdFromPublicKey(raw) !== device.id) {
    return { ok: false, code: CONNECT_ERROR_CODES.DEVICE_AUTH_DEVICE_ID_MISMATCH, message: 'device identity mismatch' };
  }
  if (device.nonce.trim() === '') return { ok: false, code: CONNECT_ERROR_CODES.DEVICE_AUTH_NONCE_REQUIRED, message: 'device nonce required' };
  if (device.nonce !== challenge.nonce) {
    return { ok: false, code: CONNECT_ERROR_CODES.DEVICE_AUTH_NONCE_MISMATCH, message: 'device nonce mismatch' };
  }
  if (device.signedAt !== challenge.ts) {
    return { ok: false, code: CONNECT_ERROR_CODES.DEVICE_AUTH_SIGNATURE_EXPIRED, message: 'device signature expired' };
  }
  const payload = buildDeviceAuthPayloadV3({
    deviceId: device.id,
    clientId: params.client.id,
    clientMode: params.client.mode,
    role: params.role ?? OPERATOR_ROLE,
    scopes: params.scopes ?? [],
    signedAtMs: device.signedAt,
    token: signatureToken(params),
    nonce: device.nonce,
    platform: params.client.platform,
    deviceFamily: params.client.deviceFamily,
  });
  if (!verifyDeviceAuth(device.publicKey, payload, device.signature)) {
    return { ok: false, code: CONNECT_ERROR_CODES.DEVICE_AUTH_SIGNATURE_INVALID, message: 'device signature invalid' };
  }
  return { ok: true, deviceId: device.id };
}
