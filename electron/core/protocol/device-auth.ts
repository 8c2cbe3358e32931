// Device identity for the gateway handshake: an Ed25519 key pair (node:crypto only) and the v3 device
// signature. Format checked against OpenClaw's own code (gateway-client device-auth.ts,
// infra/ed25519-signature.ts): id = hex SHA-256 of the raw 32-byte public key, public key and signature
// as unpadded base64url, payload `v3|deviceId|clientId|clientMode|role|scopes,…|signedAtMs|token|nonce|
// platform|deviceFamily` where platform and deviceFamily are trimmed and ASCII-lowercased.
import crypto, { type KeyObject } from 'node:crypto';

const RAW_KEY_LENGTH = 32;
/** Longest base64url input we decode; OpenClaw bounds it the same way. */
const MAX_BASE64URL_LENGTH = 4096;

export interface DeviceKeyPair {
  privateKey: KeyObject;
  /** The raw 32-byte Ed25519 public key. */
  publicKeyRaw: Buffer;
}

export interface DeviceAuthPayloadParams {
  deviceId: string;
  clientId: string;
  clientMode: string;
  role: string;
  scopes: readonly string[];
  signedAtMs: number;
  /** The credential sent in `auth` (shared token or device token); empty when none. */
  token: string | null | undefined;
  nonce: string;
  platform: string | null | undefined;
  deviceFamily: string | null | undefined;
}

function rawPublicKeyOf(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
}

export function generateDeviceKeyPair(): DeviceKeyPair {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  return { privateKey, publicKeyRaw: rawPublicKeyOf(publicKey) };
}

export function deviceIdFromPublicKey(publicKeyRaw: Buffer): string {
  return crypto.createHash('sha256').update(publicKeyRaw).digest('hex');
}

export function publicKeyToBase64Url(publicKeyRaw: Buffer): string {
  return publicKeyRaw.toString('base64url');
}

/** Canonical unpadded base64url of exactly 32 bytes → raw key; anything else → null. */
export function publicKeyFromBase64Url(value: string): Buffer | null {
  if (value.length === 0 || value.length > MAX_BASE64URL_LENGTH || !/^[A-Za-z0-9_-]+$/.test(value)) return null;
  const raw = Buffer.from(value, 'base64url');
  if (raw.length !== RAW_KEY_LENGTH || raw.toString('base64url') !== value) return null;
  return raw;
}

/** Trim and lowercase ASCII letters only, as OpenClaw does (locale-independent). */
function normalizeDeviceMetadata(value: string | null | undefined): string {
  if (typeof value !== 'string') return '';
  return value.trim().replace(/[A-Z]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 32));
}

export function buildDeviceAuthPayloadV3(params: DeviceAuthPayloadParams): string {
  return [
    'v3',
    params.deviceId,
    params.clientId,
    params.clientMode,
    params.role,
    params.scopes.join(','),
    String(params.signedAtMs),
    params.token ?? '',
    params.nonce,
    normalizeDeviceMetadata(params.platform),
    normalizeDeviceMetadata(params.deviceFamily),
  ].join('|');
}

/** Ed25519 signature over the UTF-8 payload, as unpadded base64url. */
export function signDeviceAuth(privateKey: KeyObject, payload: string): string {
  return crypto.sign(null, Buffer.from(payload, 'utf8'), privateKey).toString('base64url');
}

/** True only for a valid signature by that key; malformed keys or signatures → false, never a throw. */
export function verifyDeviceAuth(publicKeyB64Url: string, payload: string, signatureB64Url: string): boolean {
  const raw = publicKeyFromBase64Url(publicKeyB64Url);
  if (!raw) return false;
  if (signatureB64Url.length === 0 || signatureB64Url.length > MAX_BASE64URL_LENGTH) return false;
  if (!/^[A-Za-z0-9_-]+$/.test(signatureB64Url)) return false;
  try {
    const key = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKeyB64Url }, format: 'jwk' });
    return crypto.verify(null, Buffer.from(payload, 'utf8'), key, Buffer.from(signatureB64Url, 'base64url'));
  } catch {
    return false;
  }
}

/** PKCS#8 PEM of the private key, for storage (the public key is derived from it on import). */
export function exportDeviceKeyPairPem(keyPair: DeviceKeyPair): string {
  return keyPair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** Reads a stored PEM; throws a clear Error when it is not an Ed25519 private key. */
export function importDeviceKeyPairPem(pem: string): DeviceKeyPair {
  let privateKey: KeyObject;
  try {
    privateKey = crypto.createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new Error(`device key is not a readable PEM private key: ${(error as Error).message}`, { cause: error });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`device key must be Ed25519, got ${privateKey.asymmetricKeyType ?? 'unknown'}`);
  }
  return { privateKey, publicKeyRaw: rawPublicKeyOf(crypto.createPublicKey(privateKey)) };
}
