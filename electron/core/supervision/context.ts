// What the supervisor is configured with, and what its job modules share: one context object
// instead of a callback list per module.
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogLine } from '../api';
import type { ConnectOptions, ControlConnection } from '../connection/types';
import { buildGatewayEnv, type PortableGatewayDirs } from '../gateway/env';
import type { GatewayProgram } from '../gateway/programs';
import type { Launcher } from '../launcher/types';
import { createRedactor, type Redactor } from '../redact';
import type { Settings } from '../settings/schema';
import type { GatewayError } from '../status';
import type { StatusModel } from '../status-model';
import type { Generation } from './generation';

export type LogFn = (level: LogLine['level'], message: string) => void;

export interface SupervisorOptions {
  dataDir: string;
  launcher: Launcher;
  settings: () => Settings;
  /** Resolves the gateway program for the next start; throws GatewayNotFoundError. */
  program: () => GatewayProgram;
  token: string;
  /** Other secrets to redact (the user's gateway token or password, once known). */
  secrets?: () => readonly string[];
  connect: (options: ConnectOptions) => Promise<ControlConnection>;
  clientVersion: string;
  log: LogFn;
  /** The environment the gateway's is built from (default: process.env). */
  baseEnv?: Readonly<Record<string, string | undefined>>;
  /** Portable mode: the folders OpenClaw's state and caches go to. */
  portable?: PortableGatewayDirs;
  timeouts?: Partial<Timeouts>;
  random?: () => number;
}

export interface Timeouts {
  /** Spawn to /readyz 200 (OpenClaw takes 5–9 s here; allow for slow disks). */
  readyMs: number;
  /** Poll interval while waiting for readiness: the floor of recovery time. */
  readyPollMs: number;
  /** Graceful stop before the tree is killed. */
  stopGraceMs: number;
  /** A listener found on the port gets this long to answer the protocol. */
  answerMs: number;
  handshakeMs: number;
  /** A gateway repair command (exit 78) gets this long. */
  repairMs: number;
  /** An orphan reclaimed from a previous run must free the port within this. */
  reclaimMs: number;
  /** A restart request this soon after the one that started a completed restart joins it. */
  restartBurstMs: number;
  /** …or this soon after that restart's generation reached running (see policy/intent.ts). */
  restartGraceMs: number;
  /** A restart the gateway does itself (SIGUSR2, its service) must answer with a new bootId within this. */
  selfRestartMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  readyMs: 90_000,
  readyPollMs: 25,
  stopGraceMs: 5_000,
  answerMs: 2_000,
  handshakeMs: 10_000,
  repairMs: 120_000,
  reclaimMs: 10_000,
  restartBurstMs: 3_000,
  restartGraceMs: 1_000,
  selfRestartMs: 60_000,
};

export interface SupervisionContext {
  options: SupervisorOptions;
  timeouts: Timeouts;
  model: StatusModel;
  redact: Redactor;
  random: () => number;
  log: LogFn;
  /** The environment a program's processes get (Pincer's token only where the program has no credential). */
  gatewayEnv: (program: GatewayProgram) => Record<string, string>;
  /** The supervisor's current generation. */
  current: () => Generation | undefined;
  epoch: () => number;
  isCurrent: (epoch: number) => boolean;
  /** A sleep a newer epoch cancels (rejects). */
  sleep: (ms: number) => Promise<void>;
  enterRestarting: () => void;
  fail: (error: GatewayError) => void;
  launchStart: (epoch: number) => Promise<void>;
}

/** What the supervisor itself provides: its generation, its epochs and its state transitions. */
export type SupervisorHooks = Pick<SupervisionContext, 'current' | 'epoch' | 'isCurrent' | 'enterRestarting' | 'fail' | 'launchStart'>;

/**
 * The context built from the options: redacted logging (to the options' log and the status), the
 * gateway's environment, and sleeps cancelled by `abort()` (the supervisor's current epoch signal).
 */
export function createSupervisionContext(
  options: SupervisorOptions,
  model: StatusModel,
  abort: () => AbortSignal,
  hooks: SupervisorHooks,
): SupervisionContext {
  const redact = (text: string) => createRedactor([options.token, ...(options.secrets?.() ?? [])])(text);
  return {
    options,
    timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
    model,
    redact,
    random: options.random ?? Math.random,
    log: (level, message) => {
      const text = redact(message);
      options.log(level, text);
      model.addLog({ at: Date.now(), source: 'pincer', level, text });
    },
    // Pincer's own token only for a gateway with no credential configured: never over the user's.
    gatewayEnv: (program) =>
      buildGatewayEnv({
        base: options.baseEnv ?? process.env,
        token: program.credential.kind === 'pincer' ? options.token : undefined,
        extra: options.settings().gatewayEnv,
        portable: options.portable,
      }),
    sleep: (ms) => sleep(ms, undefined, { signal: abort() }),
    ...hooks,
  };
}
