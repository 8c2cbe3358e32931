// One gateway generation: a process Pincer started (or a gateway it attached to) and its control
// connection, with one explicit status instead of a set of booleans.
import type { ControlConnection } from '../connection/types';
import type { GatewayProgram } from '../gateway/programs';
import type { GatewayProcess, LaunchSpec } from '../launcher/types';
import type { Settings } from '../settings/schema';

/**
 * starting → running → exited: it went on its own (a crash, a kill from outside).
 * any → retiring → retired: Pincer is stopping it on purpose; its exit is not a crash.
 */
export type GenerationStatus = 'starting' | 'running' | 'retiring' | 'exited' | 'retired';

export interface Generation {
  program: GatewayProgram;
  port: number;
  /** Undefined for a gateway Pincer found running and uses without owning it. */
  process?: GatewayProcess;
  status: GenerationStatus;
  spawnedAt: number;
  /** When it first reached running: how long it then stayed up decides whether it was stable. */
  runningSince?: number;
  connection?: ControlConnection;
  connectedAt?: number;
  /** Consecutive connection losses without a stable connection between: sets the backoff. */
  lossStreak: number;
  /** The settings its start flow began with: a later change that needs a restart is not in it. */
  launchedWith?: Settings;
  /** What its process was launched with (program, Node, arguments, environment). */
  spec?: LaunchSpec;
  /** An attached gateway restarting by its own means until then: its port may go down, it is coming back. */
  selfRestartUntil?: number;
}

export function newGeneration(program: GatewayProgram, port: number, process?: GatewayProcess): Generation {
  return { program, port, process, status: 'starting', spawnedAt: Date.now(), lossStreak: 0 };
}

export function isGone(generation: Generation): boolean {
  return generation.status === 'exited' || generation.status === 'retired';
}

export function isRetiring(generation: Generation): boolean {
  return generation.status === 'retiring' || generation.status === 'retired';
}

export function markRunning(generation: Generation, at: number): void {
  if (generation.status === 'starting') generation.status = 'running';
  generation.runningSince ??= at;
}

export function markRetiring(generation: Generation): void {
  if (!isGone(generation)) generation.status = 'retiring';
}

export function markExited(generation: Generation): void {
  generation.status = isRetiring(generation) ? 'retired' : 'exited';
}
