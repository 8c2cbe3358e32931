import { describe, expect, it } from 'vitest';
import {
  buildDeviceAuthPayloadV3,
  deviceIdFromPublicKey,
  exportDeviceKeyPairPem,
  generateDeviceKeyPair,
  importDeviceKeyPairPem,
  publicKeyFromBase64Url,
  publicKeyToBase64Url,
  signDeviceAuth,
  verifyDeviceAuth,
} from '../../electron/core/protocol';
import crypto from 'node:crypto';

// A fixed identity. The expected id and signature were cross-checked once against OpenClaw 2026.9.6's own
// deriveDeviceIdFromPublicKey / verifyDeviceSignature (dist/device-identity-*.mjs).
const FIXTURE = {
  pem: '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINGC/wD24iJoMHl7OURYNaovIMhuMa9V/2d0nVr59jHD\n-----END PRIVATE KEY-----\n',
  publicKey: 'd3p1T2w8bXWvbbyQHc-KoIMF79N72nj28iWKXSO0F3Q',
  deviceId: 'd1b50ce016f0a3b44baf80635ef9c7a7b094bbc4308918e7954ee29c17bf962e',
  payload: 'v3|DEV|gateway-client|backend|operator|operator.read|1737264000000|tok|nonce-1|linux|',
  signature: 'FHcIxWi_ROiE0lu4doC6dPqY_C-CpsAmw6nMXojw1ofZwDYGqR6bVE-_DLBbbgqZFIN0q5sjNU4oaYYGwNaSAA',
};

const BASE = {
  deviceId: 'dev',
  clientId: 'gateway-client',
  clientMode: 'backend',
  role: 'operator',
  scopes: ['operator.read', 'operator.write'],
  signedAtMs: 1737264000000,
  token: 'tok',
  nonce: 'n-1',
  platform: 'linux',
  deviceFamily: '',
};

describe('buildDeviceAuthPayloadV3', () => {
  // Expected strings match OpenClaw's buildDeviceAuthPayloadV3 (dist/device-auth-*.mjs) for the same input.
  it.each([
    ['all fields', BASE, 'v3|dev|gateway-client|backend|operator|operator.read,operator.write|1737264000000|tok|n-1|linux|'],
    [
      'platform and family trimmed and lowercased',
      { ...BASE, platform: ' Linux ', deviceFamily: 'Desktop' },
      'v3|dev|gateway-client|backend|operator|operator.read,operator.write|1737264000000|tok|n-1|linux|desktop',
    ],
    ['no token, no scopes', { ...BASE, token: null, scopes: [] }, 'v3|dev|gateway-client|backend|operator||1737264000000||n-1|linux|'],
    [
      'missing metadata is empty',
      { ...BASE, platform: undefined, deviceFamily: null },
      'v3|dev|gateway-client|backend|operator|operator.read,operator.write|1737264000000|tok|n-1||',
    ],
    [
      'only ASCII letters are lowercased',
      { ...BASE, platform: 'İSTANBUL' },
      'v3|dev|gateway-client|backend|operator|operator.read,operator.write|1737264000000|tok|n-1|İstanbul|',
    ],
  ])('%s', (_name, params, expected) => {
    expect(buildDeviceAuthPayloadV3(params)).toBe(expected);
  });
});

describe('device keys', () => {
  it('derives the fixture id and public key and reproduces its signature', () => {
    const keyPair = importDeviceKeyPairPem(FIXTURE.pem);
    expect(publicKeyToBase64Url(keyPair.publicKeyRaw)).toBe(FIXTURE.publicKey);
    expect(deviceIdFromPublicKey(keyPair.publicKeyRaw)).toBe(FIXTURE.deviceId);
    expect(signDeviceAuth(keyPair.privateKey, FIXTURE.payload)).toBe(FIXTURE.signature);
    expect(verifyDeviceAuth(FIXTURE.publicKey, FIXTURE.payload, FIXTURE.signature)).toBe(true);
  });

  it('generates a 32-byte key whose id is the hex SHA-256 of it, and survives a PEM round trip', () => {
    const keyPair = generateDeviceKeyPair();
    expect(keyPair.publicKeyRaw).toHaveLength(32);
    expect(deviceIdFromPublicKey(keyPair.publicKeyRaw)).toMatch(/^[0-9a-f]{64}$/);
    const publicKey = publicKeyToBase64Url(keyPair.publicKeyRaw);
    expect(publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const restored = importDeviceKeyPairPem(exportDeviceKeyPairPem(keyPair));
    expect(restored.publicKeyRaw.equals(keyPair.publicKeyRaw)).toBe(true);
    expect(verifyDeviceAuth(publicKey, 'x', signDeviceAuth(restored.privateKey, 'x'))).toBe(true);
  });

  it('refuses a PEM that is not an Ed25519 private key with a clear error', () => {
    const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => importDeviceKeyPairPem(rsa)).toThrow(/must be Ed25519, got rsa/);
    expect(() => importDeviceKeyPairPem('garbage')).toThrow(/not a readable PEM/);
  });
});

describe('verifyDeviceAuth', () => {
  const otherKey = publicKeyToBase64Url(generateDeviceKeyPair().publicKeyRaw);
  it.each([
    ['payload changed', FIXTURE.publicKey, FIXTURE.payload.replace('tok', 'tak'), FIXTURE.signature],
    ['another key', otherKey, FIXTURE.payload, FIXTURE.signature],
    ['signature truncated', FIXTURE.publicKey, FIXTURE.payload, FIXTURE.signature.slice(0, 40)],
    ['signature not base64url', FIXTURE.publicKey, FIXTURE.payload, 'a+b/c='],
    ['empty signature', FIXTURE.publicKey, FIXTURE.payload, ''],
    ['key padded (not canonical)', `${FIXTURE.publicKey}=`, FIXTURE.payload, FIXTURE.signature],
    ['key of wrong length', FIXTURE.publicKey.slice(0, 20), FIXTURE.payload, FIXTURE.signature],
    ['key empty', '', FIXTURE.payload, FIXTURE.signature],
    ['huge signature', FIXTURE.publicKey, FIXTURE.payload, 'A'.repeat(100_000)],
  ])('false when %s, without throwing', (_name, key, payload, signature) => {
    expect(verifyDeviceAuth(key, payload, signature)).toBe(false);
  });

  it('publicKeyFromBase64Url accepts only canonical 32-byte keys', () => {
    expect(publicKeyFromBase64Url(FIXTURE.publicKey)).toHaveLength(32);
    expect(publicKeyFromBase64Url(`${FIXTURE.publicKey}=`)).toBeNull();
    expect(publicKeyFromBase64Url('abc')).toBeNull();
  });
});
