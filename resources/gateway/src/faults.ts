// Fault injection and test knobs, read from the environment once at start. Pure: env in, typed faults out.
// The names and meanings are documented in main.ts's header.

export type HandshakeRefusal = 'token' | 'protocol' | 'pairing';

export interface Faults {
  exitCode?: number;
  crashAfterMs?: number;
  hangAfterMs?: number;
  listenDelayMs: number;
  startDelayMs: number;
  refuseHandshake?: HandshakeRefusal;
  neverCloseClients: boolean;
  spawnWorker: boolean;
  malformed: boolean;
  floodStdoutBytesPerSec?: number;
}

export interface Tuning {
  restartGapMs: number;
  maxPayload: number;
  tickIntervalMs: number;
  handshakeTimeoutMs: number;
}

export type ReadFaultsResult = { ok: true; faults: Faults; tuning: Tuning } | { ok: false; message: string };

type Env = Readonly<Record<string, string | undefined>>;

const REFUSALS: readonly HandshakeRefusal[] = ['token', 'protocol', 'pairing'];

class BadValue extends Error {}

function integer(env: Env, name: string, { min, max }: { min: number; max: number }): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    throw new BadValue(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

function flag(env: Env, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === '0') return false;
  if (raw === '1') return true;
  throw new BadValue(`${name} must be 1 or 0, got ${JSON.stringify(raw)}`);
}

const DAY_MS = 86_400_000;

export function readFaults(env: Env): ReadFaultsResult {
  try {
    const refuse = env.PINCER_REFGW_REFUSE_HANDSHAKE;
    if (refuse && !REFUSALS.includes(refuse as HandshakeRefusal)) {
      throw new BadValue(`PINCER_REFGW_REFUSE_HANDSHAKE must be one of ${REFUSALS.join(', ')}, got ${JSON.stringify(refuse)}`);
    }
    const faults: Faults = {
      exitCode: integer(env, 'PINCER_REFGW_EXIT_CODE', { min: 0, max: 255 }),
      crashAfterMs: integer(env, 'PINCER_REFGW_CRASH_AFTER_MS', { min: 0, max: DAY_MS }),
      hangAfterMs: integer(env, 'PINCER_REFGW_HANG_AFTER_MS', { min: 0, max: DAY_MS }),
      listenDelayMs: integer(env, 'PINCER_REFGW_LISTEN_DELAY_MS', { min: 0, max: DAY_MS }) ?? 0,
      startDelayMs: integer(env, 'PINCER_REFGW_START_DELAY_MS', { min: 0, max: DAY_MS }) ?? 0,
      refuseHandshake: refuse ? (refuse as HandshakeRefusal) : undefined,
      neverCloseClients: flag(env, 'PINCER_REFGW_NEVER_CLOSE_CLIENTS'),
      spawnWorker: flag(env, 'PINCER_REFGW_SPAWN_WORKER'),
      malformed: flag(env, 'PINCER_REFGW_MALFORMED'),
      floodStdoutBytesPerSec: integer(env, 'PINCER_REFGW_FLOOD_STDOUT', { min: 1, max: 1 << 30 }),
    };
    const tuning: Tuning = {
      restartGapMs: integer(env, 'PINCER_REFGW_RESTART_GAP_MS', { min: 0, max: 60_000 }) ?? 300,
      // OpenClaw's defaults: 25 MiB frames, a tick every 15 s, 15 s to send the first frame.
      maxPayload: integer(env, 'PINCER_REFGW_MAX_PAYLOAD', { min: 1024, max: 1 << 30 }) ?? 25 * 1024 * 1024,
      tickIntervalMs: integer(env, 'PINCER_REFGW_TICK_MS', { min: 10, max: DAY_MS }) ?? 15_000,
      handshakeTimeoutMs: integer(env, 'PINCER_REFGW_HANDSHAKE_TIMEOUT_MS', { min: 10, max: DAY_MS }) ?? 15_000,
    };
    return { ok: true, faults, tuning };
  } catch (error) {
    if (error instanceof BadValue) return { ok: false, message: error.message };
    throw error;
  }
}
