// Settings: shape, defaults and validation. Pure; the file store lives in store.ts.
// The gateway token is NOT a setting: it lives in its own 0600 file and never reaches the renderer.
import { DEFAULT_RESTART_POLICY } from '../policy/restart-policy';

export interface RestartPolicySettings {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Unexpected exits within crashLoopWindowMs that put the supervisor in CRASH_LOOP. */
  crashLoopMaxExits: number;
  crashLoopWindowMs: number;
}

export interface Settings {
  gatewayPort: number;
  /** 'auto': OpenClaw when configured or installed, else the reference gateway. */
  gatewayKind: 'auto' | 'reference' | 'openclaw';
  /** An OpenClaw install dir (holding node_modules/openclaw); empty = resolve automatically. */
  openclawPath: string;
  /** A Node runtime to run the gateway with; empty = the default for the gateway kind. */
  nodePath: string;
  /** Start the gateway when Pincer starts. */
  autoStart: boolean;
  /** Start hidden in the tray (no window). */
  startMinimized: boolean;
  /** Start Pincer at login (login item on macOS/Windows, XDG autostart entry on Linux); hidden when so started. */
  startAtLogin: boolean;
  /** Desktop notifications for gateway errors, crash recoveries and slow restarts. */
  notifications: boolean;
  /** The language of the dashboard, tray and notifications; 'auto' follows the OS. */
  language: 'auto' | 'en' | 'zh-CN';
  heartbeatMs: number;
  restartPolicy: RestartPolicySettings;
  /** Own the public port and pipe to the current gateway generation (zero-refusal restarts). */
  frontDoor: boolean;
  /** Browser origins allowed through the front door besides loopback ones. */
  allowedOrigins: string[];
  /** Extra environment for the gateway process. */
  gatewayEnv: Record<string, string>;
  /** Desktop app: check the build's update feed (a build without a feed never checks). */
  checkForUpdates: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  gatewayPort: 18789,
  gatewayKind: 'auto',
  openclawPath: '',
  nodePath: '',
  autoStart: true,
  startMinimized: false,
  startAtLogin: false,
  notifications: true,
  language: 'auto',
  heartbeatMs: 5_000,
  restartPolicy: DEFAULT_RESTART_POLICY,
  frontDoor: true,
  allowedOrigins: [],
  gatewayEnv: {},
  checkForUpdates: true,
};

export interface FieldError {
  field: string;
  message: string;
}

type Check = (value: unknown, field: string) => string | undefined;

const integer =
  (min: number, max: number): Check =>
  (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? undefined : `must be a whole number from ${min} to ${max}`;
const boolean: Check = (value) => (typeof value === 'boolean' ? undefined : 'must be true or false');
const oneOf =
  (...options: string[]): Check =>
  (value) =>
    typeof value === 'string' && options.includes(value) ? undefined : `must be one of ${options.join(', ')}`;
const path: Check = (value) =>
  typeof value !== 'string' ? 'must be a text path' : value.length > 4096 || value.includes('\0') ? 'is not a valid path' : undefined;
const origins: Check = (value) => {
  if (!Array.isArray(value) || value.length > 50) return 'must be a list of at most 50 origins';
  for (const origin of value) {
    if (typeof origin !== 'string' || !/^https?:\/\/[^/\s]+$/.test(origin)) return `"${String(origin)}" is not an origin like https://example.com`;
  }
  return undefined;
};
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const env: Check = (value) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object of NAME: value';
  const entries = Object.entries(value);
  if (entries.length > 100) return 'must have at most 100 variables';
  for (const [name, v] of entries) {
    if (!ENV_NAME.test(name)) return `"${name}" is not a valid variable name`;
    if (typeof v !== 'string' || v.length > 8192) return `${name} must be text of at most 8192 characters`;
    // The token has its own file; letting settings override it would put it where the renderer reads.
    if (name === 'OPENCLAW_GATEWAY_TOKEN') return 'OPENCLAW_GATEWAY_TOKEN is managed by Pincer and cannot be set here';
  }
  return undefined;
};

const TOP_LEVEL: Record<Exclude<keyof Settings, 'restartPolicy'>, Check> = {
  gatewayPort: integer(1024, 65535),
  gatewayKind: oneOf('auto', 'reference', 'openclaw'),
  openclawPath: path,
  nodePath: path,
  autoStart: boolean,
  startMinimized: boolean,
  startAtLogin: boolean,
  notifications: boolean,
  language: oneOf('auto', 'en', 'zh-CN'),
  heartbeatMs: integer(1_000, 60_000),
  frontDoor: boolean,
  allowedOrigins: origins,
  gatewayEnv: env,
  checkForUpdates: boolean,
};

const RESTART_POLICY: Record<keyof RestartPolicySettings, Check> = {
  baseDelayMs: integer(50, 60_000),
  maxDelayMs: integer(100, 600_000),
  crashLoopMaxExits: integer(1, 100),
  crashLoopWindowMs: integer(1_000, 3_600_000),
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Applies a patch to the current settings. Either every field is valid and the merged settings
 * come back, or nothing changes and every problem is named by its field.
 */
export function applySettingsPatch(current: Settings, patch: unknown): { ok: true; settings: Settings } | { ok: false; errors: FieldError[] } {
  if (!isRecord(patch)) return { ok: false, errors: [{ field: '', message: 'settings must be a JSON object' }] };
  const errors: FieldError[] = [];
  const next: Settings = { ...current, restartPolicy: { ...current.restartPolicy } };
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'restartPolicy') {
      if (!isRecord(value)) {
        errors.push({ field: key, message: 'must be an object' });
        continue;
      }
      for (const [subKey, subValue] of Object.entries(value)) {
        const check = RESTART_POLICY[subKey as keyof RestartPolicySettings];
        const message = check ? check(subValue, subKey) : 'is not a known setting';
        if (message) errors.push({ field: `restartPolicy.${subKey}`, message });
        else (next.restartPolicy as unknown as Record<string, unknown>)[subKey] = subValue;
      }
      continue;
    }
    const check = TOP_LEVEL[key as keyof typeof TOP_LEVEL];
    const message = check ? check(value, key) : 'is not a known setting';
    if (message) errors.push({ field: key, message });
    else (next as unknown as Record<string, unknown>)[key] = value;
  }
  if (next.restartPolicy.baseDelayMs > next.restartPolicy.maxDelayMs) {
    errors.push({ field: 'restartPolicy.baseDelayMs', message: 'must not exceed restartPolicy.maxDelayMs' });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, settings: next };
}

/** Settings whose change needs a new gateway generation; the others apply live. */
const RESTART_KEYS: ReadonlySet<keyof Settings> = new Set(['gatewayPort', 'gatewayKind', 'openclawPath', 'nodePath', 'frontDoor', 'gatewayEnv']);

export function needsRestart(before: Settings, after: Settings): boolean {
  for (const key of RESTART_KEYS) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) return true;
  }
  return false;
}
