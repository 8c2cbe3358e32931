// The device identity Pincer presents to the gateway: an Ed25519 key pair created once per data dir,
// and the device token a gateway may issue in hello-ok. Both are secrets: files are 0600, written
// atomically, and never logged.
import fs from 'node:fs';
import path from 'node:path';
import {
  deviceIdFromPublicKey,
  exportDeviceKeyPairPem,
  generateDeviceKeyPair,
  importDeviceKeyPairPem,
  publicKeyToBase64Url,
  type DeviceKeyPair,
} from '../protocol';
import { writeFileAtomic } from '../settings/store';

export const IDENTITY_FILE = 'device-identity.json';
export const DEVICE_TOKEN_FILE = 'device-token';

export interface DeviceIdentity {
  deviceId: string;
  keyPair: DeviceKeyPair;
}

interface StoredIdentity {
  version: 1;
  deviceId: string;
  publicKey: string;
  privateKeyPem: string;
  createdAtMs: number;
}

type Log = (level: 'info' | 'warn', message: string) => void;

function readStoredIdentity(text: string): DeviceIdentity {
  const stored = JSON.parse(text) as Partial<StoredIdentity>;
  if (stored.version !== 1 || typeof stored.privateKeyPem !== 'string' || typeof stored.deviceId !== 'string') {
    throw new Error('missing version, deviceId or privateKeyPem');
  }
  const keyPair = importDeviceKeyPairPem(stored.privateKeyPem);
  const deviceId = deviceIdFromPublicKey(keyPair.publicKeyRaw);
  if (deviceId !== stored.deviceId) throw new Error('deviceId does not match the key');
  return { deviceId, keyPair };
}

function createIdentity(file: string): DeviceIdentity {
  const keyPair = generateDeviceKeyPair();
  const deviceId = deviceIdFromPublicKey(keyPair.publicKeyRaw);
  const stored: StoredIdentity = {
    version: 1,
    deviceId,
    publicKey: publicKeyToBase64Url(keyPair.publicKeyRaw),
    privateKeyPem: exportDeviceKeyPairPem(keyPair),
    createdAtMs: Date.now(),
  };
  writeFileAtomic(file, `${JSON.stringify(stored, null, 2)}\n`, 0o600);
  return { deviceId, keyPair };
}

/**
 * The identity kept in `<dataDir>/device-identity.json`, created on first use. An unreadable file is
 * kept aside (never deleted) and replaced, so a bad file cannot block connecting; the device token
 * belonged to the old identity and is dropped with it.
 */
export function loadDeviceIdentity(dataDir: string, log: Log): DeviceIdentity {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, IDENTITY_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    log('info', `created a device identity in ${file}`);
    return createIdentity(file);
  }
  try {
    const identity = readStoredIdentity(text);
    // Tighten a file someone loosened by hand: it holds a private key.
    if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
    return identity;
  } catch (error) {
    const aside = `${file}.invalid-${Date.now()}`;
    fs.renameSync(file, aside);
    forgetDeviceToken(dataDir);
    log('warn', `device identity was unreadable (${(error as Error).message}); kept it as ${aside} and created a new one`);
    return createIdentity(file);
  }
}

export function readDeviceToken(dataDir: string): string | undefined {
  try {
    const token = fs.readFileSync(path.join(dataDir, DEVICE_TOKEN_FILE), 'utf8').trim();
    return token === '' ? undefined : token;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function saveDeviceToken(dataDir: string, token: string): void {
  writeFileAtomic(path.join(dataDir, DEVICE_TOKEN_FILE), token, 0o600);
}

export function forgetDeviceToken(dataDir: string): void {
  fs.rmSync(path.join(dataDir, DEVICE_TOKEN_FILE), { force: true });
}
