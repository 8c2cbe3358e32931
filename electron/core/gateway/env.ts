// The environment a gateway child gets. The token travels here, never in argv (argv is
// visible to every local user through ps / /proc/<pid>/cmdline).

// With these set, OpenClaw believes systemd supervises it and a duplicate exits 78.
const SYSTEMD_HINTS = ['INVOCATION_ID', 'JOURNAL_STREAM', 'SYSTEMD_EXEC_PID', 'OPENCLAW_SYSTEMD_UNIT', 'NOTIFY_SOCKET'];
// Pincer's own secrets are not the gateway's business.
const PINCER_SECRETS = ['PINCER_API_TOKEN'];

export interface GatewayEnvInput {
  base: Readonly<Record<string, string | undefined>>;
  token: string;
  /** User-provided extra variables from settings. */
  extra: Readonly<Record<string, string>>;
  /** Portable mode: OpenClaw state and caches go into the data dir. */
  stateDir?: string;
}

export function buildGatewayEnv({ base, token, extra, stateDir }: GatewayEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && !SYSTEMD_HINTS.includes(name) && !PINCER_SECRETS.includes(name)) env[name] = value;
  }
  Object.assign(env, extra);
  if (stateDir) {
    env.OPENCLAW_STATE_DIR = stateDir;
  }
  // Pincer is the supervisor: the gateway must not respawn itself behind our back, and inside
  // Electron process.execPath is the Electron binary, which breaks OpenClaw's shell snapshot.
  env.OPENCLAW_NO_RESPAWN = '1';
  env.OPENCLAW_EXEC_SHELL_SNAPSHOT = '0';
  env.OPENCLAW_GATEWAY_TOKEN = token;
  return env;
}
