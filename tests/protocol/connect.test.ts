import { describe, expect, it } from 'vitest';
import {
  CONNECT_ERROR_CODES,
  buildConnectParams,
  deviceIdFromPublicKey,
  generateDeviceKeyPair,
  readConnectParams,
  supportsProtocol,
  verifyDeviceProof,
  type ConnectParams,
} from '../../electron/core/protocol';

const keyPair = generateDeviceKeyPair();
const challenge = { nonce: '5b7c1f0e-0000-4000-8000-000000000001', ts: 1737264000000 };

function build(overrides: Partial<Parameters<typeof buildConnectParams>[0]> = {}): ConnectParams {
  return buildConnectParams({
    client: { version: '0.1.0', platform: 'linux', mode: 'backend' },
    scopes: ['operator.read'],
    token: 'secret-token',
    keyPair,
    challenge,
    ...overrides,
  });
}

describe('buildConnectParams', () => {
  it('builds protocol 4, gateway-client, operator, the token and a signed device block bound to the challenge', () => {
    const params = build();
    expect(params).toMatchObject({
      minProtocol: 4,
      maxProtocol: 4,
      client: { id: 'gateway-client', version: '0.1.0', platform: 'linux', mode: 'backend' },
      role: 'operator',
      scopes: ['operator.read'],
      caps: [],
      auth: { token: 'secret-token' },
      device: { id: deviceIdFromPublicKey(keyPair.publicKeyRaw), signedAt: challenge.ts, nonce: challenge.nonce },
    });
    expect(verifyDeviceProof(params, params.device!, challenge)).toEqual({ ok: true, deviceId: params.device!.id });
  });

  it('signs deviceFamily too when given', () => {
    const params = build({ client: { version: '1', platform: 'Linux', mode: 'ui', deviceFamily: 'Desktop' } });
    expect(params.client.deviceFamily).toBe('Desktop');
    expect(verifyDeviceProof(params, params.device!, challenge).ok).toBe(true);
  });
});

describe('verifyDeviceProof refusals', () => {
  const good = build();
  const other = generateDeviceKeyPair();
  it.each<[string, (p: ConnectParams) => ConnectParams, { nonce: string; ts: number }, string]>([
    ['token swapped after signing', (p) => ({ ...p, auth: { token: 'other' } }), challenge, CONNECT_ERROR_CODES.DEVICE_AUTH_SIGNATURE_INVALID],
    ['scopes widened after signing', (p) => ({ ...p, scopes: ['operator.admin'] }), challenge, CONNECT_ERROR_CODES.DEVICE_AUTH_SIGNATURE_INVALID],
    [
      'platform changed after signing',
      (p) => ({ ...p, client: { ...p.client, platform: 'darwin' } }),
      challenge,
      CONNECT_ERROR_CODES.DEVICE_AUTH_SIGNATURE_INVALID,
    ],
    [
      'signature garbage',
      (p) => ({ ...p, device: { ...p.device!, signature: 'AAAA' } }),
      challenge,
      CONNECT_ERROR_CODES.DEVICE_AUTH_SIGNATURE_INVALID,
    ],
    ['nonce of another challenge', (p) => p, { ...challenge, nonce: 'other' }, CONNECT_ERROR_CODES.DEVICE_AUTH_NONCE_MISMATCH],
    ['empty nonce', (p) => ({ ...p, device: { ...p.device!, nonce: ' ' } }), challenge, CONNECT_ERROR_CODES.DEVICE_AUTH_NONCE_REQUIRED],
    ['signedAt not the challenge ts', (p) => p, { ...challenge, ts: challenge.ts + 1 }, CONNECT_ERROR_CODES.DEVICE_AUTH_SIGNATURE_EXPIRED],
    [
      'id of another key',
      (p) => ({ ...p, device: { ...p.device!, id: deviceIdFromPublicKey(other.publicKeyRaw) } }),
      challenge,
      CONNECT_ERROR_CODES.DEVICE_AUTH_DEVICE_ID_MISMATCH,
    ],
    [
      'public key malformed',
      (p) => ({ ...p, device: { ...p.device!, publicKey: 'x' } }),
      challenge,
      CONNECT_ERROR_CODES.DEVICE_AUTH_PUBLIC_KEY_INVALID,
    ],
  ])('%s', (_name, mutate, usedChallenge, code) => {
    const params = mutate(good);
    const result = verifyDeviceProof(params, params.device!, usedChallenge);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.code).toBe(code);
  });
});

describe('readConnectParams', () => {
  it('accepts what buildConnectParams builds', () => {
    expect(readConnectParams(build())).toEqual({ ok: true, params: build() });
  });

  it.each<[string, unknown, string]>([
    ['not an object', 'x', 'invalid-params'],
    ['no protocol range', { ...build(), minProtocol: undefined }, 'invalid-params'],
    ['no client', { ...build(), client: undefined }, 'invalid-params'],
    ['client without mode', { ...build(), client: { id: 'gateway-client', version: '1', platform: 'linux' } }, 'invalid-params'],
    ['unknown client id', { ...build(), client: { ...build().client, id: 'pincer' } }, 'unknown-client-id'],
    ['client id not canonical', { ...build(), client: { ...build().client, id: ' Gateway-Client' } }, 'unknown-client-id'],
    ['unknown client mode', { ...build(), client: { ...build().client, mode: 'root' } }, 'unknown-client-mode'],
    ['scopes not strings', { ...build(), scopes: [1] }, 'invalid-params'],
    ['token not a string', { ...build(), auth: { token: 5 } }, 'invalid-params'],
    ['device incomplete', { ...build(), device: { id: 'x' } }, 'invalid-params'],
    ['device signedAt negative', { ...build(), device: { ...build().device!, signedAt: -1 } }, 'invalid-params'],
  ])('refuses %s', (_name, raw, problem) => {
    const result = readConnectParams(raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toBe(problem);
    expect(!result.ok && result.message.length).toBeGreaterThan(0);
  });
});

describe('supportsProtocol', () => {
  it.each([
    [4, 4, true],
    [3, 5, true],
    [3, 3, false],
    [5, 6, false],
  ])('min %i max %i → %s', (minProtocol, maxProtocol, expected) => {
    expect(supportsProtocol({ minProtocol, maxProtocol })).toBe(expected);
  });
});
