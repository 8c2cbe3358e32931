// The fault schedule: a pure function of (seed, count, weights). Every random choice a fault
// needs is drawn here, up front, so one seed always names the same sequence of faults.
import { mulberry32, pick, pickWeighted, randomInt, type Random } from './prng';

export const FAULT_KINDS = [
  'kill9',
  'sigstop',
  'slow-start',
  'crash-loop',
  'exit-78',
  'handshake-refused',
  'malformed',
  'foreign-port',
  'time-wait',
  'restart-storm',
  'interleave',
  'twin-kill9',
  'settings-mid-restart',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type Weights = Record<FaultKind, number>;

/** Kinds injected through the reference gateway's PINCER_REFGW_* variables. */
export const REFERENCE_ONLY_KINDS: readonly FaultKind[] = ['slow-start', 'crash-loop', 'exit-78', 'handshake-refused', 'malformed'];

export const DEFAULT_WEIGHTS: Readonly<Weights> = {
  kill9: 3,
  sigstop: 2,
  'slow-start': 1,
  'crash-loop': 1,
  'exit-78': 1,
  'handshake-refused': 1,
  malformed: 1,
  'foreign-port': 1,
  'time-wait': 1,
  'restart-storm': 2,
  interleave: 2,
  'twin-kill9': 1,
  'settings-mid-restart': 2,
};

export type Refusal = 'token' | 'protocol' | 'pairing';
export type Intent = 'start' | 'stop' | 'restart';

export type Fault =
  /** midRestartMs: the kill lands that long after a restart request (the newest generation dies mid-start). */
  | { kind: 'kill9'; midRestartMs?: number }
  /** SIGSTOP for stopMs, then SIGCONT: short ones resume, long ones must be detected as hung. */
  | { kind: 'sigstop'; stopMs: number }
  | { kind: 'slow-start'; delayMs: number }
  | { kind: 'crash-loop'; crashAfterMs: number }
  | { kind: 'exit-78' }
  | { kind: 'handshake-refused'; refusal: Refusal }
  | { kind: 'malformed' }
  | { kind: 'foreign-port' }
  | { kind: 'time-wait'; timeWait: number; finWait2: number }
  | { kind: 'restart-storm'; requests: number; clients: number }
  | { kind: 'interleave'; steps: Array<{ intent: Intent; gapMs: number }> }
  /** midRestartMs: the supervisor dies that long after a restart request, mid-generation-change. */
  | { kind: 'twin-kill9'; midRestartMs?: number }
  | { kind: 'settings-mid-restart'; delayMs: number; marker: number };

/** Half the time undefined (the fault hits a settled gateway), else 0–300 ms into a restart. */
function maybeMidRestart(random: Random): number | undefined {
  return random() < 0.5 ? undefined : randomInt(random, 0, 300);
}

function drawFault(random: Random, kind: FaultKind): Fault {
  switch (kind) {
    case 'kill9':
    case 'twin-kill9': {
      const midRestartMs = maybeMidRestart(random);
      return midRestartMs === undefined ? { kind } : { kind, midRestartMs };
    }
    case 'sigstop':
      return { kind, stopMs: randomInt(random, 200, 4_000) };
    case 'slow-start':
      return { kind, delayMs: randomInt(random, 300, 2_500) };
    case 'crash-loop':
      return { kind, crashAfterMs: randomInt(random, 0, 150) };
    case 'handshake-refused':
      return { kind, refusal: pick(random, ['token', 'protocol', 'pairing'] as const) };
    case 'time-wait':
      return { kind, timeWait: randomInt(random, 1, 4), finWait2: randomInt(random, 1, 4) };
    case 'restart-storm':
      return { kind, requests: 50, clients: randomInt(random, 2, 6) };
    case 'interleave':
      return {
        kind,
        steps: Array.from({ length: randomInt(random, 3, 8) }, () => ({
          intent: pick(random, ['start', 'stop', 'restart'] as const),
          gapMs: randomInt(random, 0, 150),
        })),
      };
    case 'settings-mid-restart':
      return { kind, delayMs: randomInt(random, 0, 150), marker: randomInt(random, 1, 1_000_000) };
    case 'exit-78':
    case 'malformed':
    case 'foreign-port':
      return { kind };
  }
}

export function buildSchedule({ seed, faults, weights }: { seed: number; faults: number; weights: Readonly<Weights> }): Fault[] {
  if (!Number.isInteger(faults) || faults < 0) throw new RangeError(`faults must be a whole number ≥ 0, got ${faults}`);
  const random = mulberry32(seed);
  return Array.from({ length: faults }, () => drawFault(random, pickWeighted(random, weights)));
}

/** "kill9=3,sigstop=0" → the defaults with those weights replaced. */
export function parseWeights(text: string, base: Readonly<Weights> = DEFAULT_WEIGHTS): Weights {
  const weights: Weights = { ...base };
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([a-z0-9-]+)=(\d+(?:\.\d+)?)$/.exec(part);
    if (!match) throw new Error(`--weights: "${part}" is not kind=number`);
    const kind = match[1] as FaultKind;
    if (!FAULT_KINDS.includes(kind)) throw new Error(`--weights: unknown fault kind "${match[1]}" (kinds: ${FAULT_KINDS.join(', ')})`);
    weights[kind] = Number(match[2]);
  }
  if (FAULT_KINDS.every((kind) => weights[kind] === 0)) throw new Error('--weights: every weight is 0');
  return weights;
}

/** The weights with the kinds a gateway cannot take set to 0 (OpenClaw has no fault variables). */
export function weightsFor(gateway: 'reference' | 'openclaw', weights: Readonly<Weights>): Weights {
  const result: Weights = { ...weights };
  if (gateway === 'openclaw') for (const kind of REFERENCE_ONLY_KINDS) result[kind] = 0;
  return result;
}
