// Decides what to answer to a `connect` request, in OpenClaw's order: params shape (incl. the client-id
// registry) → protocol range → still starting → role → device present → credential → device proof →
// pairing. Pure apart from the device-token store it is given.
import crypto from 'node:crypto';
import {
  OPERATOR_ROLE,
  authRefusal,
  deviceAuthRefusal,
  deviceIdentityRequiredRefusal,
  invalidRequestRefusal,
  pairingRequiredRefusal,
  protocolMismatchRefusal,
  readConnectParams,
  startupUnavailableRefusal,
  supportsProtocol,
  verifyDeviceProof,
  type Challenge,
  type ConnectParams,
  type Refusal,
} from '../../../electron/core/protocol';
import type { HandshakeRefusal } from './faults';

export interface HandshakeContext {
  token: string;
  challenge: Challenge;
  starting: boolean;
  refuse?: HandshakeRefusal;
  /** Device tokens issued by this process, by device id. */
  deviceTokenFor(deviceId: string): string;
}

export type ConnectDecision = { ok: true; params: ConnectParams; deviceId: string } | ({ ok: false } & Refusal);

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

function refuse(refusal: Refusal): ConnectDecision {
  return { ok: false, ...refusal };
}

export function decideConnect(rawParams: unknown, context: HandshakeContext): ConnectDecision {
  const read = readConnectParams(rawParams);
  if (!read.ok) return refuse(invalidRequestRefusal(`invalid connect params: ${read.message}`));
  const params = read.params;
  if (!supportsProtocol(params) || context.refuse === 'protocol') {
    return refuse(protocolMismatchRefusal(params.minProtocol, params.maxProtocol));
  }
  if (context.starting) return refuse(startupUnavailableRefusal());
  const role = params.role ?? OPERATOR_ROLE;
  if (role !== OPERATOR_ROLE) return refuse(invalidRequestRefusal('invalid role'));
  const device = params.device;
  if (!device) return refuse(deviceIdentityRequiredRefusal());

  const issued = context.deviceTokenFor(device.id);
  const token = params.auth?.token;
  const deviceToken = params.auth?.deviceToken;
  if (context.refuse === 'token') return refuse(authRefusal('token-mismatch'));
  if (token === undefined && deviceToken === undefined) return refuse(authRefusal('token-missing'));
  if (deviceToken !== undefined && !(issued && sameSecret(deviceToken, issued))) {
    return refuse(authRefusal('device-token-mismatch'));
  }
  if (token !== undefined && !sameSecret(token, context.token) && !(issued && sameSecret(token, issued))) {
    return refuse(authRefusal('token-mismatch'));
  }

  const proof = verifyDeviceProof(params, device, context.challenge);
  if (!proof.ok) return refuse(deviceAuthRefusal(proof.code, proof.message));
  if (context.refuse === 'pairing') {
    return refuse(pairingRequiredRefusal({ requestId: crypto.randomUUID(), deviceId: device.id, role, scopes: params.scopes ?? [] }));
  }
  return { ok: true, params, deviceId: proof.deviceId };
}
