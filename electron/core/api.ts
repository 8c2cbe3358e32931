// The one API the dashboard talks to. The main side implements it once (api-table.ts), served
// by the IPC bridge and by the HTTP + server-sent-events API; the dashboard reaches it through
// the preload bridge or src/api/http-bridge.ts. Types only.
import type { GatewayState, GatewayStatus } from './status';
import type { FieldError, Settings } from './settings/schema';
import type { UpdateView } from './update-model';

export type { FieldError };

export interface LogLine {
  at: number;
  /** Where the line came from: the gateway's streams or Pincer itself. */
  source: 'stdout' | 'stderr' | 'pincer';
  level: 'debug' | 'info' | 'warn' | 'error';
  text: string;
}

export interface TimelineEntry {
  at: number;
  state: GatewayState;
  pid?: number;
}

export type SettingsUpdateResult = { ok: true; settings: Settings; restartScheduled: boolean } | { ok: false; errors: FieldError[] };

export interface PincerApi {
  getStatus(): Promise<GatewayStatus>;
  /** Calls back on every status change; returns a function that really removes the listener. */
  onStatus(callback: (status: GatewayStatus) => void): () => void;
  start(): Promise<GatewayStatus>;
  stop(): Promise<GatewayStatus>;
  /** Restarts the gateway: in-process when OpenClaw is healthy and nothing it starts with changed, else a full restart. */
  restart(): Promise<GatewayStatus>;
  /** Always a full process restart (a new gateway process). */
  fullRestart(): Promise<GatewayStatus>;
  /**
   * Opens the gateway's Control UI signed in (a one-time link from OpenClaw's own `dashboard` command).
   * The desktop app opens the browser itself and answers without the link; the headless twin
   * answers with the link for the dashboard page to open.
   */
  openControlUi(): Promise<{ url?: string }>;
  getSettings(): Promise<Settings>;
  updateSettings(patch: Partial<Settings>): Promise<SettingsUpdateResult>;
  /** The recent status timeline (last hour), oldest first. */
  getTimeline(): Promise<TimelineEntry[]>;
  /** The recent log lines (bounded), oldest first. */
  getLogTail(): Promise<LogLine[]>;
  onLog(callback: (line: LogLine) => void): () => void;
  /** Opens the logs folder where a desktop can; always answers with its path (headless shows it). */
  openLogs(): Promise<{ path?: string }>;
  /** Writes one redacted diagnostics file and returns where it went. */
  exportDiagnostics(): Promise<{ path: string }>;
  /** Pincer's own updates (desktop app; the headless twin answers off/headless). */
  getUpdate(): Promise<UpdateView>;
  onUpdate(callback: (view: UpdateView) => void): () => void;
  /** Stops the gateway gracefully, then restarts Pincer into the downloaded update. */
  installUpdate(): Promise<UpdateView>;
}

/** The request/answer methods (the two subscriptions are pushes, not calls). */
export type ApiMethod = Exclude<keyof PincerApi, 'onStatus' | 'onLog' | 'onUpdate'>;
