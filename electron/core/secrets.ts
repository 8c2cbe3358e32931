// The gateway token: generated on first run, kept in its own 0600 file in the data dir, read
// only by the core (it goes to the gateway through the environment). Never a setting, never
// sent to a renderer or an API client.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './settings/store';

export const TOKEN_FILE = 'gateway-token';

export function loadOrCreateGatewayToken(dataDir: string): string {
  const file = path.join(dataDir, TOKEN_FILE);
  try {
    const token = fs.readFileSync(file, 'utf8').trim();
    if (token.length >= 32) return token;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const token = crypto.randomBytes(32).toString('base64url');
  writeFileAtomic(file, `${token}\n`, 0o600);
  return token;
}
