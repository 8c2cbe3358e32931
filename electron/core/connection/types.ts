// The control connection's contract with the supervisor. One ControlConnection is one socket:
// reconnecting means a new connection after the old one is fully destroyed, so no socket can
// outlive its owner. Reconnect scheduling (backoff, states) is the supervisor's job.

export interface HelloInfo {
  serverVersion: string;
  bootId: string;
  connId: string;
  maxPayload: number;
  tickIntervalMs: number;
}

export interface ShutdownNotice {
  reason: string;
  /** A number means the gateway expects to restart (in-process or by its supervisor). */
  restartExpectedMs?: number;
}

export interface ConnectionLoss {
  /** WebSocket close code (1006 when the socket died without a close frame). */
  code: number;
  reason: string;
  /** Set when the gateway announced its shutdown before closing. */
  shutdown?: ShutdownNotice;
  /** Set when no pong arrived within the deadline: the socket was terminated. */
  hung?: boolean;
}

export type ConnectFailureCode =
  | 'AUTH_FAILED'
  | 'PAIRING_REQUIRED'
  | 'PROTOCOL_MISMATCH'
  /** The gateway is still starting (UNAVAILABLE / close 1013): retry after retryAfterMs. */
  | 'UNAVAILABLE'
  | 'TIMEOUT'
  | 'CLOSED';

export class ConnectError extends Error {
  constructor(
    readonly code: ConnectFailureCode,
    message: string,
    readonly details: { retryAfterMs?: number; requestId?: string; gatewayCode?: string } = {},
  ) {
    super(message);
    this.name = 'ConnectError';
  }
}

export interface ConnectOptions {
  port: number;
  /** The shared gateway token ('' when the gateway uses password auth). */
  token: string;
  /** The shared gateway password (gateway.auth.mode password), instead of a token. */
  password?: string;
  /** Where the device key pair and device token are kept (0600 files). */
  dataDir: string;
  heartbeatMs: number;
  /** Bound for WebSocket open + challenge + hello-ok. */
  handshakeTimeoutMs: number;
  clientVersion: string;
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

export interface RequestOptions {
  timeoutMs?: number;
}

export interface ControlConnection {
  readonly hello: HelloInfo;
  request<T = unknown>(method: string, params?: unknown, options?: RequestOptions): Promise<T>;
  /** Called once, when the connection is lost for any reason other than close(). */
  onLost(listener: (loss: ConnectionLoss) => void): void;
  /** Clean close (close frame, short closeTimeout, then terminate); resolves when the socket is gone. */
  close(): Promise<void>;
}
