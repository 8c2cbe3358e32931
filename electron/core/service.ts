// What the Electron shell and the headless twin both run: settings, token, logging, the
// supervisor, the socket monitor and diagnostics, wired together once. The two front ends
// differ only in how they launch processes and how they talk to the dashboard.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NodeLogger } from 'electron-log';
import type { LogLine, SettingsUpdateResult } from './api';
import { connectGateway } from './connection';
import { controlUiLink, ControlUiError } from './gateway/control-ui';
import { credentialSecret } from './gateway/credential';
import { buildGatewayEnv, portableGatewayDirs, type PortableGatewayDirs } from './gateway/env';
import { realFiles } from './gateway/files';
import type { GatewayProgram } from './gateway/programs';
import { resolveGateway, type GatewayLocations } from './gateway/resolve';
import { findInstalledServices } from './gateway/service-files';
import { stateDir } from './gateway/user-config';
import { UserConfigCache } from './gateway/user-config-cache';
import type { Launcher } from './launcher/types';
import { setUpLogging } from './log-setup';
import { logsDir } from './paths';
import { createRedactor, REDACTED, type Redactor } from './redact';
import { loadOrCreateGatewayToken } from './secrets';
import { applySettingsPatch, DEFAULT_SETTINGS, needsRestart, type Settings } from './settings/schema';
import { openConfStore } from './settings/conf-store';
import { loadSettings, saveSettings, writeFileAtomic, type OpenSettingsStore, type SettingsStore } from './settings/store';
import { listDescendants } from './process/tree';
import { sampleSockets } from './sockets/monitor';
import { Supervisor, type Timeouts } from './supervisor';
import { WarningBoard } from './warnings';

export interface ServiceOptions {
  dataDir: string;
  portable: boolean;
  launcher: Launcher;
  locations: GatewayLocations;
  clientVersion: string;
  /** electron-log's main logger (shell) or node logger (headless); set up here. */
  logger: NodeLogger;
  baseEnv?: Readonly<Record<string, string | undefined>>;
  timeouts?: Partial<Timeouts>;
  /** How often the socket states on the gateway port are sampled. */
  socketSampleMs?: number;
  /** The settings file engine: electron-store in the shell; conf (the default) in the twin. */
  openSettingsStore?: OpenSettingsStore;
}

/** Settings changes that need a new generation are coalesced over this window. */
const SETTINGS_RESTART_DEBOUNCE_MS = 300;

export class PincerService {
  readonly supervisor: Supervisor;
  readonly redact: Redactor;
  /** Where any part of Pincer sets or clears its warning for the status. */
  readonly warnings: WarningBoard;
  /** Set when the settings file was unusable at start (moved aside, defaults in use). */
  readonly settingsProblem?: string;
  private settings: Settings;
  /** The user's gateway secret (from their OpenClaw config), once resolved: redacted like Pincer's token. */
  private userSecret?: string;
  private readonly userConfig: UserConfigCache;
  private readonly token: string;
  /** The program of the last start: its CLI opens the Control UI. */
  private program?: GatewayProgram;
  private readonly portable?: PortableGatewayDirs;
  private readonly settingsStore: SettingsStore;
  private readonly settingsListeners = new Set<(settings: Settings, before: Settings) => void>();
  private readonly socketTimer: NodeJS.Timeout;
  private readonly unsubscribeLog: () => void;

  constructor(private readonly options: ServiceOptions) {
    const { dataDir, logger } = options;
    fs.mkdirSync(dataDir, { recursive: true });
    const loaded = loadSettings(dataDir, options.openSettingsStore ?? openConfStore);
    this.settings = loaded.settings;
    this.settingsStore = loaded.store;
    this.settingsProblem = loaded.problem;
    const token = loadOrCreateGatewayToken(dataDir);
    this.token = token;
    this.redact = (text) => createRedactor([token, ...(this.userSecret ? [this.userSecret] : [])])(text);
    this.portable = this.portableDirs();
    this.userConfig = new UserConfigCache(() => this.gatewayConfigSource());
    setUpLogging(logger, logsDir(dataDir), this.redact);
    if (loaded.problem) logger.warn(loaded.problem);

    this.supervisor = new Supervisor({
      dataDir,
      launcher: options.launcher,
      settings: () => this.effectiveSettings(),
      program: () => {
        const program = resolveGateway(this.settings, this.locations());
        this.userSecret = credentialSecret(program.credential);
        this.program = program;
        return program;
      },
      token,
      secrets: () => (this.userSecret ? [this.userSecret] : []),
      connect: connectGateway,
      clientVersion: options.clientVersion,
      log: (level, message) => logger[level](message),
      baseEnv: options.baseEnv,
      portable: this.portable,
      timeouts: options.timeouts,
    });
    this.warnings = new WarningBoard((warnings) => this.supervisor.report({ warnings }));
    // Gateway output goes to the log file line by line, prefixed; Pincer's own lines already did.
    this.unsubscribeLog = this.supervisor.onLog((line: LogLine) => {
      // File only (verbose): the console shows Pincer's own lines, not the gateway's chatter.
      if (line.source !== 'pincer') logger.verbose(`[gateway ${line.source}] ${line.text}`);
    });
    this.reportServices();
    this.socketTimer = setInterval(() => void this.sampleSockets(), options.socketSampleMs ?? 5_000);
    this.socketTimer.unref();
  }

  private portableDirs(): PortableGatewayDirs | undefined {
    if (!this.options.portable) return undefined;
    const dirs = portableGatewayDirs(this.options.dataDir);
    for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
    return dirs;
  }

  getSettings(): Settings {
    return this.settings;
  }

  /** The gateway's environment without Pincer's token, and its home: where its config comes from. */
  private gatewayConfigSource(): { env: Readonly<Record<string, string | undefined>>; home: string } {
    const base = this.options.baseEnv ?? process.env;
    const env = buildGatewayEnv({ base, token: undefined, extra: this.settings.gatewayEnv, portable: this.portable });
    return { env, home: base.HOME || base.USERPROFILE || os.homedir() };
  }

  private locations(): GatewayLocations {
    const { locations } = this.options;
    const source = this.gatewayConfigSource();
    const base = this.options.baseEnv ?? process.env;
    return {
      ...locations,
      user: locations.user ?? { platform: process.platform, env: base, home: source.home, files: realFiles },
      gatewayConfig: source,
    };
  }

  /**
   * The settings the supervisor runs with: as saved, except that a gateway port left at its default
   * follows the user's OpenClaw config (gateway.port), so their CLI and Control UI find it.
   */
  private effectiveSettings(): Settings {
    const configPort = this.userConfig.get().port;
    if (configPort === undefined || this.settings.gatewayPort !== DEFAULT_SETTINGS.gatewayPort) return this.settings;
    return { ...this.settings, gatewayPort: configPort };
  }

  /** Validates and saves a patch; a change that needs a new gateway generation restarts once. */
  updateSettings(patch: unknown): SettingsUpdateResult {
    const result = applySettingsPatch(this.settings, patch);
    if (!result.ok) return result;
    const before = this.settings;
    saveSettings(this.settingsStore, result.settings);
    this.settings = result.settings;
    const { state } = this.supervisor.status();
    const restartScheduled = needsRestart(before, result.settings) && state !== 'stopped';
    this.userConfig.invalidate();
    if (restartScheduled) this.supervisor.debouncedRestart(SETTINGS_RESTART_DEBOUNCE_MS);
    for (const listener of this.settingsListeners) listener(result.settings, before);
    return { ok: true, settings: result.settings, restartScheduled };
  }

  /** The user's Stop: an attached gateway of OpenClaw's service is stopped through it, then let go. */
  async stopGateway(): Promise<void> {
    await this.supervisor.stopExternalService();
    await this.supervisor.stop();
  }

  /** Restart: 'auto' lets the supervisor restart OpenClaw in-process when it can; 'full' always replaces the process. */
  restartGateway(kind: 'auto' | 'full'): Promise<void> {
    return this.supervisor.restart(kind);
  }

  /**
   * A one-time link that opens the gateway's Control UI signed in, made by the user's own
   * `openclaw dashboard --json` (the same handoff OpenClaw's CLI uses). Never logged.
   */
  async controlUiUrl(): Promise<string> {
    const program = this.program;
    const status = this.supervisor.status();
    if (!program?.cli || status.gateway.kind !== 'openclaw')
      throw new ControlUiError('The Control UI belongs to OpenClaw; the reference gateway has none.');
    if (status.state !== 'running') throw new ControlUiError(`The gateway is ${status.state}: the Control UI opens once it runs.`);
    const base = this.options.baseEnv ?? process.env;
    const env = buildGatewayEnv({
      base,
      token: program.credential.kind === 'pincer' ? this.token : undefined,
      extra: this.settings.gatewayEnv,
      portable: this.portable,
    });
    // The CLI reads the port from the config; the port clients use may be Pincer's setting.
    env.OPENCLAW_GATEWAY_PORT = String(status.port);
    return controlUiLink(program.cli(['dashboard', '--json'], env));
  }

  /** OpenClaw's own service files (systemd / launchd / Scheduled Task), for the dashboard. */
  private reportServices(): void {
    const { env, home } = this.gatewayConfigSource();
    const services = findInstalledServices({ platform: process.platform, env, home, stateDir: stateDir(env, home), files: realFiles });
    if (JSON.stringify(services) !== JSON.stringify(this.supervisor.status().services ?? [])) this.supervisor.report({ services });
  }

  /** Calls back after every saved change (the shell applies start-at-login, language, the tray's toggles). */
  onSettings(listener: (settings: Settings, before: Settings) => void): () => void {
    this.settingsListeners.add(listener);
    return () => this.settingsListeners.delete(listener);
  }

  /** Samples the front door's counters and the socket states on the gateway port into the status. */
  async sampleSockets(): Promise<void> {
    this.supervisor.refreshFrontDoor();
    this.reportServices();
    const status = this.supervisor.status();
    const gatewayPid = this.supervisor.gatewayPid() ?? status.pid;
    // The port the gateway itself listens on: behind the front door, its internal one.
    const port = status.frontDoor?.internalPort ?? status.port;
    try {
      const gatewayPids = gatewayPid ? [gatewayPid, ...(await listDescendants(gatewayPid))] : [];
      const sockets = await sampleSockets({ port, ourPid: process.pid, gatewayPids });
      this.supervisor.report({ sockets });
      this.warnings.set('sockets', sockets.warning);
    } catch (error) {
      this.options.logger.debug(`socket sampling failed: ${(error as Error).message}`);
    }
  }

  /** One JSON file with everything needed to diagnose a problem, secrets redacted. */
  async exportDiagnostics(): Promise<{ path: string }> {
    await this.sampleSockets();
    const folder = path.join(this.options.dataDir, 'diagnostics');
    fs.mkdirSync(folder, { recursive: true });
    const file = path.join(folder, `pincer-diagnostics-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    const report = {
      pincer: { version: this.options.clientVersion, platform: process.platform, arch: process.arch, node: process.versions.node },
      dataDir: this.options.dataDir,
      portable: this.options.portable,
      settings: { ...this.settings, gatewayEnv: Object.fromEntries(Object.keys(this.settings.gatewayEnv).map((name) => [name, REDACTED])) },
      status: this.supervisor.status(),
      timeline: this.supervisor.timeline(),
      logTail: this.supervisor.logs(),
    };
    writeFileAtomic(file, this.redact(JSON.stringify(report, null, 2)));
    return { path: file };
  }

  /** Stops the gateway (graceful, bounded) and releases everything the service holds. */
  async shutdown(): Promise<void> {
    clearInterval(this.socketTimer);
    this.unsubscribeLog();
    await this.supervisor.stop();
  }
}
