// The one status shape shared by the core, the IPC bridge, the HTTP API and the dashboard.
// Keep it plain JSON: it crosses process boundaries as-is.

export const GATEWAY_STATES = ['stopped', 'starting', 'running', 'restarting', 'reconnecting', 'stopping', 'error'] as const;
export type GatewayState = (typeof GATEWAY_STATES)[number];

export const START_PHASES = ['probing-port', 'spawning', 'waiting-ready', 'connecting'] as const;
export type StartPhase = (typeof START_PHASES)[number];

export const GATEWAY_ERROR_CODES = [
  'PORT_IN_USE',
  'PORT_HUNG',
  'CRASH_LOOP',
  'CONFIG_INVALID',
  'AUTH_FAILED',
  'PAIRING_REQUIRED',
  'PROTOCOL_MISMATCH',
  'START_TIMEOUT',
  'SPAWN_FAILED',
  'GATEWAY_NOT_FOUND',
  // The Node the user's OpenClaw would run with does not meet its package's engines.node.
  'NODE_TOO_OLD',
] as const;
export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number];

export interface GatewayError {
  code: GatewayErrorCode;
  message: string;
  /** What the user can do about it, in one sentence. */
  hint: string;
  /** The process holding the port, for PORT_IN_USE / PORT_HUNG. */
  portOwner?: { pid?: number; command?: string };
  /** The pairing request to approve, for PAIRING_REQUIRED. */
  requestId?: string;
  /** What automatic repair was attempted, for CONFIG_INVALID. */
  repair?: { command: string; exitCode: number | null };
}

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  at: number;
}

export type GatewayKind = 'reference' | 'openclaw';
/** Where the gateway program was found: settings path → bundled → the user's install → dev cache → reference. */
export type GatewaySource = 'settings' | 'bundled' | 'user' | 'cache' | 'reference';

/** One place the resolution looked at, in order (shown in the dashboard). */
export interface GatewayCandidate {
  source: GatewaySource;
  /** The package folder (or the folder searched). */
  path?: string;
  version?: string;
  /** How a user's install was found: PATH, npm-global, nvm, fnm, volta, pnpm, installer. */
  via?: string;
  /** Why it was not used, when it was not (CANDIDATE_NOT_INSTALLED, which the dashboard translates). */
  note?: string;
  chosen?: boolean;
}

/** The resolution's note on a place it looked at and found nothing. */
export const CANDIDATE_NOT_INSTALLED = 'not installed here';

/** Why the reference gateway runs: where OpenClaw was looked for (the user's installs too, or only the settings path), and whether the user has an OpenClaw config it could have run. */
export interface GatewayFallback {
  searched: 'everywhere' | 'settings';
  configExists: boolean;
}

/** How Pincer authenticates to the gateway; never the secret itself. */
export type GatewayAuthKind = 'pincer-token' | 'token' | 'password' | 'none';

/** Who runs a gateway Pincer attached to instead of starting its own. */
export interface ExternalGateway {
  pid?: number;
  /** systemd (user unit), launchd, schtasks (Scheduled Task), or manual (a process started by hand). */
  manager: 'systemd' | 'launchd' | 'schtasks' | 'manual' | 'unknown';
  /** The unit / label / task name, when known. */
  unit?: string;
  /** How Restart works on it, or why it is disabled (in English, and as a code the dashboard translates). */
  restart: { how: 'signal' | 'service' } | ExternalRefusal;
  stop: { how: 'service' } | ExternalRefusal;
}

/** Why Restart / Stop is refused on an attached gateway: its service (and no openclaw CLI to ask it), nobody Pincer can ask, no pid, no signals (Windows). */
export type ExternalRefusalCode = 'service' | 'hand-started' | 'no-restart' | 'unidentified' | 'windows';
export interface ExternalRefusal {
  disabled: string;
  why: ExternalRefusalCode;
}

/** The OpenClaw service files installed on this machine (OpenClaw's own `gateway install`). */
export interface InstalledService {
  manager: 'systemd' | 'launchd' | 'schtasks';
  file: string;
}

/** The last restart Pincer made, and which kind it was. */
export interface RestartRecord {
  kind: 'in-process' | 'full';
  at: number;
  /** Until running again. */
  durationMs?: number;
  /** Why an in-process restart was not used or did not finish. */
  reason?: string;
}

export interface GatewayInfo {
  kind: GatewayKind;
  source?: GatewaySource;
  version?: string;
  /** The package folder that runs (OpenClaw), and how a user's install was found. */
  path?: string;
  via?: string;
  /** The Node runtime it runs with (undefined: the launcher's own). */
  node?: { path: string; version?: string };
  /** Every place resolution looked at, in order. */
  candidates?: GatewayCandidate[];
  /** Set when the reference gateway runs although OpenClaw was looked for: why (in English), and the facts the dashboard says it from. */
  fallbackReason?: string;
  fallback?: GatewayFallback;
  /** The OpenClaw config the gateway reads, whether it is set up (gateway.mode local), how Pincer authenticates. */
  config?: { file: string; exists: boolean; configured: boolean; problem?: string; port?: number };
  auth?: GatewayAuthKind;
  bootId?: string;
  /** From hello-ok's policy. */
  maxPayload?: number;
  tickIntervalMs?: number;
}

export type TcpStateCounts = Partial<Record<TcpStateName, number>>;
export type TcpStateName =
  'ESTABLISHED' | 'SYN_SENT' | 'SYN_RECV' | 'FIN_WAIT1' | 'FIN_WAIT2' | 'TIME_WAIT' | 'CLOSE' | 'CLOSE_WAIT' | 'LAST_ACK' | 'LISTEN' | 'CLOSING';

export interface SocketReport {
  port: number;
  sampledAt: number;
  /** Sockets owned by the Pincer process on the gateway port. */
  ourSide: TcpStateCounts;
  /** Sockets owned by the gateway process tree on the gateway port. */
  gatewaySide: TcpStateCounts;
  /** Set when the gateway keeps sockets in CLOSE_WAIT: it is not closing connections. */
  warning?: string;
}

export interface FrontDoorStatus {
  enabled: boolean;
  listenPort: number;
  internalPort?: number;
  heldConnections: number;
  pipedConnections: number;
  refusedOrigins: number;
}

export interface GatewayStatus {
  state: GatewayState;
  /** Only while starting. */
  phase?: StartPhase;
  /** Elapsed ms per phase of the current or last start. */
  phaseTimings: Partial<Record<StartPhase, number>>;
  /** The port clients use. */
  port: number;
  pid?: number;
  /** True when Pincer found a healthy gateway already on the port and uses it without owning it. */
  attached: boolean;
  /** For an attached gateway: who runs it and what Restart / Stop do to it. */
  external?: ExternalGateway;
  /** OpenClaw service files found on this machine (its own service may compete for the port). */
  services?: InstalledService[];
  lastRestart?: RestartRecord;
  startedAt?: number;
  uptimeMs?: number;
  restarts: number;
  reconnectAttempts: number;
  /** How often the gateway restarted in-process (bootId changed between connections). */
  bootIdChanges: number;
  lastExit?: ExitInfo;
  error?: GatewayError;
  /** Non-fatal conditions worth showing (e.g. sockets left in CLOSE_WAIT by the gateway). */
  warnings: string[];
  /** The last lines the gateway wrote to stderr. */
  stderrTail: string[];
  gateway: GatewayInfo;
  sockets?: SocketReport;
  frontDoor?: FrontDoorStatus;
  /** When this snapshot was made (ms since epoch). */
  at: number;
}

export const STDERR_TAIL_LINES = 50;
