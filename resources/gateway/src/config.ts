// Configuration checks that make the gateway exit 78 (EX_CONFIG), like OpenClaw: no token, a config file
// that is not a JSON object, a non-loopback bind without auth. `repairConfig` is what `doctor --fix` can fix.
import fs from 'node:fs';
import type { Bind } from './cli';

export const EXIT_CONFIG_INVALID = 78;
export const CONFIG_FILE_ENV = 'PINCER_REFGW_CONFIG';
export const TOKEN_ENV = 'OPENCLAW_GATEWAY_TOKEN';

export interface GatewayConfig {
  token: string;
}

export type ConfigResult = { ok: true; config: GatewayConfig } | { ok: false; message: string };

type Env = Readonly<Record<string, string | undefined>>;

/** Why the config file at `path` is unusable, or null when it holds a JSON object. */
function configFileProblem(path: string): string | null {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (error) {
    return `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `${path} is not valid JSON: ${(error as Error).message}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${path} must hold a JSON object`;
  return null;
}

export function readGatewayConfig(env: Env, bind: Bind): ConfigResult {
  const token = env[TOKEN_ENV]?.trim();
  if (bind !== 'loopback' && !token) {
    return { ok: false, message: `refusing to bind ${bind} without auth: set ${TOKEN_ENV}` };
  }
  if (!token) return { ok: false, message: `${TOKEN_ENV} is not set` };
  const path = env[CONFIG_FILE_ENV];
  if (path) {
    const problem = configFileProblem(path);
    if (problem) return { ok: false, message: problem };
  }
  return { ok: true, config: { token } };
}

export interface RepairReport {
  /** Problems found and fixed. */
  fixed: string[];
  /** Problems found that only the user can fix. */
  remaining: string[];
}

/** Finds config problems; with `fix`, rewrites an unusable config file to `{}`. */
export function repairConfig(env: Env, fix: boolean): RepairReport {
  const report: RepairReport = { fixed: [], remaining: [] };
  const path = env[CONFIG_FILE_ENV];
  const problem = path ? configFileProblem(path) : null;
  if (path && problem) {
    if (fix) {
      fs.writeFileSync(path, '{}\n', { mode: 0o600 });
      report.fixed.push(`${problem} (rewritten to {})`);
    } else {
      report.remaining.push(problem);
    }
  }
  if (!env[TOKEN_ENV]?.trim()) report.remaining.push(`${TOKEN_ENV} is not set`);
  return report;
}
