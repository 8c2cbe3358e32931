import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEVICE_TOKEN_FILE,
  IDENTITY_FILE,
  forgetDeviceToken,
  loadDeviceIdentity,
  readDeviceToken,
  saveDeviceToken,
} from '../../electron/core/connection/identity';
import { buildDeviceAuthPayloadV3, publicKeyToBase64Url, signDeviceAuth, verifyDeviceAuth } from '../../electron/core/protocol';

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe('device identity storage', () => {
  let dir: string;
  const logged: string[] = [];
  const log = (_level: string, message: string) => logged.push(message);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-identity-'));
    logged.length = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates the key pair once, 0600, and reuses it', () => {
    const dataDir = path.join(dir, 'nested', 'data');
    const first = loadDeviceIdentity(dataDir, log);
    const file = path.join(dataDir, IDENTITY_FILE);
    expect(modeOf(file)).toBe(0o600);
    expect(first.deviceId).toMatch(/^[0-9a-f]{64}$/);
    const second = loadDeviceIdentity(dataDir, log);
    expect(second.deviceId).toBe(first.deviceId);
    // The reloaded private key signs what the stored public key verifies.
    const payload = buildDeviceAuthPayloadV3({
      deviceId: first.deviceId,
      clientId: 'gateway-client',
      clientMode: 'backend',
      role: 'operator',
      scopes: ['operator.read'],
      signedAtMs: 1,
      token: 't',
      nonce: 'n',
      platform: 'linux',
      deviceFamily: undefined,
    });
    expect(verifyDeviceAuth(publicKeyToBase64Url(first.keyPair.publicKeyRaw), payload, signDeviceAuth(second.keyPair.privateKey, payload))).toBe(
      true,
    );
    expect(fs.readdirSync(dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('tightens a loosened identity file back to 0600', () => {
    loadDeviceIdentity(dir, log);
    const file = path.join(dir, IDENTITY_FILE);
    fs.chmodSync(file, 0o644);
    loadDeviceIdentity(dir, log);
    expect(modeOf(file)).toBe(0o600);
  });

  it('keeps an unreadable identity aside, creates a new one and drops the device token', () => {
    const original = loadDeviceIdentity(dir, log);
    saveDeviceToken(dir, 'issued-to-the-old-identity');
    fs.writeFileSync(path.join(dir, IDENTITY_FILE), '{"version":1,"deviceId":"x","privateKeyPem":"not a key"}');
    const fresh = loadDeviceIdentity(dir, log);
    expect(fresh.deviceId).not.toBe(original.deviceId);
    expect(fs.readdirSync(dir).some((name) => name.startsWith(`${IDENTITY_FILE}.invalid-`))).toBe(true);
    expect(readDeviceToken(dir)).toBeUndefined();
    expect(logged.join('\n')).toMatch(/unreadable/);
  });

  it('rejects an identity whose deviceId does not match its key', () => {
    loadDeviceIdentity(dir, log);
    const file = path.join(dir, IDENTITY_FILE);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...stored, deviceId: '0'.repeat(64) }));
    expect(loadDeviceIdentity(dir, log).deviceId).not.toBe('0'.repeat(64));
    expect(logged.join('\n')).toMatch(/does not match/);
  });

  it('stores the device token 0600, reads it back, forgets it', () => {
    expect(readDeviceToken(dir)).toBeUndefined();
    saveDeviceToken(dir, 'device-token-1');
    expect(modeOf(path.join(dir, DEVICE_TOKEN_FILE))).toBe(0o600);
    expect(readDeviceToken(dir)).toBe('device-token-1');
    saveDeviceToken(dir, 'device-token-2');
    expect(readDeviceToken(dir)).toBe('device-token-2');
    forgetDeviceToken(dir);
    expect(readDeviceToken(dir)).toBeUndefined();
    forgetDeviceToken(dir); // idempotent
  });

  it('never writes the private key or token into the log', () => {
    loadDeviceIdentity(dir, log);
    saveDeviceToken(dir, 'secret-device-token');
    expect(logged.join('\n')).not.toMatch(/PRIVATE KEY|secret-device-token/);
  });
});
