// The user's OpenClaw configuration, read-only: OPENCLAW_CONFIG_PATH, else <state dir>/openclaw.json
// (state dir: OPENCLAW_STATE_DIR, else ~/.openclaw). JSON5. Pincer never writes it.
import fs from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';

export type Env = Readonly<Record<string, string | undefined>>;

/** OpenClaw's SecretRef: `{source, provider, id}`, or the "${VAR}" / "$VAR" shorthand for env refs. */
export interface SecretRef {
  source: 'env' | 'file' | 'exec' | 'store';
  provider?: string;
  id: string;
}

export type SecretInput = string | SecretRef;

export interface UserGatewayConfig {
  file: string;
  exists: boolean;
  /** Set when the file exists but cannot be used (unreadable, not JSON5, not an object). */
  problem?: string;
  /** gateway.mode === 'local': OpenClaw starts without --allow-unconfigured. */
  configured: boolean;
  port?: number;
  authMode?: string;
  token?: SecretInput;
  password?: SecretInput;
  /** secrets.providers, for resolving file refs. */
  providers: Record<string, Record<string, unknown>>;
}

export function stateDir(env: Env, home: string): string {
  return env.OPENCLAW_STATE_DIR || path.join(home, '.openclaw');
}

export function configFile(env: Env, home: string): string {
  return env.OPENCLAW_CONFIG_PATH || path.join(stateDir(env, home), 'openclaw.json');
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function secretInput(value: unknown): SecretInput | undefined {
  if (typeof value === 'string') {
    const shorthand = /^\$\{([A-Z][A-Z0-9_]*)\}$|^\$([A-Z][A-Z0-9_]*)$/.exec(value.trim());
    if (shorthand) return { source: 'env', id: shorthand[1] ?? shorthand[2]! };
    return value === '' ? undefined : value;
  }
  const ref = record(value);
  if (ref && typeof ref.id === 'string' && ['env', 'file', 'exec', 'store'].includes(String(ref.source))) {
    return { source: ref.source as SecretRef['source'], id: ref.id, ...(typeof ref.provider === 'string' ? { provider: ref.provider } : {}) };
  }
  return undefined;
}

/** Pure: the parts of a parsed config Pincer uses. */
export function readGatewaySection(parsed: unknown, file: string): UserGatewayConfig {
  const root = record(parsed);
  if (!root) return { file, exists: true, problem: `${file} is not a JSON5 object`, configured: false, providers: {} };
  const gateway = record(root.gateway) ?? {};
  const auth = record(gateway.auth) ?? {};
  const port = gateway.port;
  const providers = Object.fromEntries(
    Object.entries(record(record(root.secrets)?.providers) ?? {}).flatMap(([name, value]) => (record(value) ? [[name, record(value)!]] : [])),
  );
  return {
    file,
    exists: true,
    configured: gateway.mode === 'local',
    ...(typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65_536 ? { port } : {}),
    ...(typeof auth.mode === 'string' ? { authMode: auth.mode } : {}),
    ...(secretInput(auth.token) ? { token: secretInput(auth.token) } : {}),
    ...(secretInput(auth.password) ? { password: secretInput(auth.password) } : {}),
    providers,
  };
}

export function readUserConfig(env: Env, home: string): UserGatewayConfig {
  const file = configFile(env, home);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return { file, exists: !missing, configured: false, providers: {}, ...(missing ? {} : { problem: `${file}: ${(error as Error).message}` }) };
  }
  try {
    return readGatewaySection(JSON5.parse(text), file);
  } catch (error) {
    // The parser's message names the line and column, never the content.
    return {
      file,
      exists: true,
      problem: `${file} is not valid JSON5 (${(error as Error).message.replace(/^JSON5: /, '')})`,
      configured: false,
      providers: {},
    };
  }
}
