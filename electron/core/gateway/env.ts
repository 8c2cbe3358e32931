import path from 'node:path';

// The environment a gateway child gets. The token travels here, never in argv (argv is
// visible to every local user through ps / /proc/<pid>/cmdline).

// With these set, OpenClaw believes systemd supervises it and a duplicate exits 78.
const SYSTEMD_HINTS = ['INVOCATION_ID', 'JOURNAL_STREAM', 'SYSTEMD_EXEC_PID', 'OPENCLAW_SYSTEMD_UNIT', 'NOTIFY_SOCKET'];
// Pincer's own secrets are not the gateway's business.
const PINCER_SECRETS = ['PINCER_API_TOKEN'];

/**
 * Portable mode: the folders (in the data dir) for what OpenClaw writes — its state, and what it
 * writes outside its state dir wherever an environment variable can move it: temp files and the
 * Node compile cache (TMPDIR), snapshot staging (XDG_CACHE_HOME) and npm's logs (npm_config_cache).
 * Its lock dir (/tmp/openclaw-state-locks-<uid>) is hard-coded and cannot be moved.
 */
export function portableGatewayDirs(dataDir: string) {
  const root = path.join(dataDir, 'openclaw');
  return { state: root, tmp: path.join(root, 'tmp'), cache: path.join(root, 'cache'), npm: path.join(root, 'npm') };
}

export type PortableGatewayDirs = ReturnType<typeof portableGatewayDirs>;

export interface GatewayEnvInput {
  base: Readonly<Record<string, string | undefined>>;
  /** Pincer's generated token, for a gateway with no credential of its own; undefined = inject none. */
  token: string | undefined;
  /** User-provided extra variables from settings. */
  extra: Readonly<Record<string, string>>;
  portable?: PortableGatewayDirs;
}

export function buildGatewayEnv({ base, token, extra, portable }: GatewayEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && !SYSTEMD_HINTS.includes(name) && !PINCER_SECRETS.includes(name)) env[name] = value;
  }
  Object.assign(env, extra);
  if (portable) {
    env.OPENCLAW_STATE_DIR = portable.state;
    env.TMPDIR = env.TMP = env.TEMP = portable.tmp;
    env.XDG_CACHE_HOME = portable.cache;
    env.npm_config_cache = portable.npm;
  }
  // Pincer is the supervisor: the gateway must not respawn itself behind our back, and inside
  // Electron process.execPath is the Electron binary, which breaks OpenClaw's shell snapshot.
  env.OPENCLAW_NO_RESPAWN = '1';
  env.OPENCLAW_EXEC_SHELL_SNAPSHOT = '0';
  if (token !== undefined) env.OPENCLAW_GATEWAY_TOKEN = token;
  return env;
}
