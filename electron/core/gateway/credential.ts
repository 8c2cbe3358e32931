// Which credential the gateway expects, in OpenClaw's own precedence: OPENCLAW_GATEWAY_TOKEN /
// _PASSWORD in its environment, then gateway.auth.token / .password in its config (plain or a
// SecretRef). Pincer connects with that credential and injects nothing; only a gateway with no
// credential configured anywhere gets Pincer's own generated token.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Env, SecretInput, UserGatewayConfig } from './user-config';

export type GatewayCredential =
  /** Nothing configured: Pincer's generated token, passed in the gateway's environment. */
  | { kind: 'pincer' }
  | { kind: 'token' | 'password'; secret: string; from: 'environment' | 'config' | 'secret-ref' }
  /** gateway.auth.mode none / trusted-proxy: no shared secret. */
  | { kind: 'none'; mode: string };

export class CredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialError';
  }
}

/** JSON pointer (RFC 6901) into a parsed JSON value. */
function pointer(value: unknown, ref: string): unknown {
  if (ref === '') return value;
  let current = value;
  for (const raw of ref.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function resolveSecret(input: SecretInput, field: string, env: Env, config: UserGatewayConfig): { secret: string; from: 'config' | 'secret-ref' } {
  if (typeof input === 'string') return { secret: input, from: 'config' };
  const where = `${field} (a SecretRef: ${input.source}${input.provider ? ` provider "${input.provider}"` : ''})`;
  const envName = field.endsWith('password') ? 'OPENCLAW_GATEWAY_PASSWORD' : 'OPENCLAW_GATEWAY_TOKEN';
  const cannot = (why: string) =>
    new CredentialError(
      `${where} cannot be resolved by Pincer: ${why}. Set ${envName} in Pincer's gateway environment (settings), or use a plain value.`,
    );
  if (input.source === 'env') {
    const value = env[input.id];
    if (!value) throw cannot(`the environment variable ${input.id} is not set`);
    return { secret: value, from: 'secret-ref' };
  }
  if (input.source === 'file') {
    const provider = config.providers[input.provider ?? 'default'];
    if (!provider || provider.source !== 'file' || typeof provider.path !== 'string') throw cannot('no matching file provider in secrets.providers');
    const file = provider.path.startsWith('~') ? path.join(os.homedir(), provider.path.slice(1)) : provider.path;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw cannot(`its file is unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (provider.mode === 'singleValue') return { secret: text.replace(/\r?\n$/, ''), from: 'secret-ref' };
    let value: unknown;
    try {
      value = pointer(JSON.parse(text), input.id);
    } catch {
      throw cannot('its file is not JSON');
    }
    if (typeof value !== 'string' || value === '') throw cannot(`nothing at ${input.id} in its file`);
    return { secret: value, from: 'secret-ref' };
  }
  // exec runs a program the user trusts OpenClaw with; store lives in OpenClaw's database.
  throw cannot(`${input.source} SecretRefs are resolved only by OpenClaw itself`);
}

/** The credential the gateway will require. `env` is the gateway's environment without Pincer's token. */
export function gatewayCredential(config: UserGatewayConfig, env: Env): GatewayCredential {
  const envToken = env.OPENCLAW_GATEWAY_TOKEN || undefined;
  const envPassword = env.OPENCLAW_GATEWAY_PASSWORD || undefined;
  const mode = config.authMode;
  if (mode === 'none' || mode === 'trusted-proxy') return { kind: 'none', mode };
  const hasToken = envToken !== undefined || config.token !== undefined;
  const hasPassword = envPassword !== undefined || config.password !== undefined;
  const kind = mode === 'password' || (mode === undefined && hasPassword && !hasToken) ? 'password' : 'token';
  if (kind === 'password') {
    if (envPassword) return { kind, secret: envPassword, from: 'environment' };
    if (config.password !== undefined) return { kind, ...resolveSecret(config.password, 'gateway.auth.password', env, config) };
    throw new CredentialError(
      `gateway.auth.mode is "password" in ${config.file}, but no password is set (gateway.auth.password or OPENCLAW_GATEWAY_PASSWORD).`,
    );
  }
  if (envToken) return { kind, secret: envToken, from: 'environment' };
  if (config.token !== undefined) return { kind, ...resolveSecret(config.token, 'gateway.auth.token', env, config) };
  return { kind: 'pincer' };
}

/** The secret to redact from logs, if any. */
export function credentialSecret(credential: GatewayCredential): string | undefined {
  return credential.kind === 'token' || credential.kind === 'password' ? credential.secret : undefined;
}

/** The shared credential for Pincer's control connection (token and/or password of ConnectOptions). */
export function connectCredential(credential: GatewayCredential, pincerToken: string): { token: string; password?: string } {
  switch (credential.kind) {
    case 'pincer':
      return { token: pincerToken };
    case 'token':
      return { token: credential.secret };
    case 'password':
      return { token: '', password: credential.secret };
    case 'none':
      // No shared secret is checked; the connection still needs a non-empty token field.
      return { token: pincerToken };
  }
}
