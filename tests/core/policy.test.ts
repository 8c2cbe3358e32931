import { describe, expect, it } from 'vitest';
import { attemptsAfterRun, backoffDelay } from '../../electron/core/policy/backoff';
import { isCrashLoop, ranStably, recordUnexpectedExit } from '../../electron/core/policy/crash-loop';
import { decideOnExit, EXIT_CONFIG } from '../../electron/core/policy/exit-policy';
import { portVerdict, type PortFacts } from '../../electron/core/policy/port-verdict';
import { DEFAULT_BACKOFF, DEFAULT_RESTART_POLICY } from '../../electron/core/policy/restart-policy';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/schema';

describe('backoffDelay', () => {
  const policy = { baseDelayMs: 500, maxDelayMs: 30_000, stableAfterMs: 30_000 };
  it.each([
    // attempt, random, expected: first attempt immediate, then equal jitter in [ceiling/2, ceiling]
    [0, 0.5, 0],
    [1, 0.99, 0],
    [2, 0, 250],
    [2, 0.999999, 500],
    [3, 0, 500],
    [3, 0.5, 750],
    [4, 0, 1_000],
    [7, 0, 8_000],
    [8, 0, 15_000],
    [8, 0.999999, 30_000],
    [9, 0, 15_000],
    [50, 0.5, 22_500],
    [10_000, 0, 15_000],
  ])('attempt %i with random %f → %i ms', (attempt, random, expected) => {
    expect(backoffDelay(attempt, policy, random)).toBe(expected);
  });

  it('never exceeds the cap and never goes below half of it once capped', () => {
    for (let attempt = 2; attempt < 100; attempt++) {
      for (const random of [0, 0.25, 0.5, 0.75, 0.999]) {
        const delay = backoffDelay(attempt, DEFAULT_BACKOFF, random);
        expect(delay).toBeLessThanOrEqual(DEFAULT_BACKOFF.maxDelayMs);
        expect(delay).toBeGreaterThanOrEqual(DEFAULT_BACKOFF.baseDelayMs / 2);
      }
    }
  });
});

describe('attemptsAfterRun', () => {
  it.each([
    [4, 29_999, 4],
    [4, 30_000, 0],
    [0, 5, 0],
    [7, 120_000, 0],
  ])('%i attempts after %i ms up → %i', (previous, uptime, expected) => {
    expect(attemptsAfterRun(previous, uptime, DEFAULT_BACKOFF)).toBe(expected);
  });
});

describe('crash loop window', () => {
  const policy = { maxExits: 5, windowMs: 60_000, minUptimeMs: 1_000 };
  it('counts only exits inside the window', () => {
    let history: number[] = [];
    for (const at of [0, 10_000, 20_000, 30_000]) history = recordUnexpectedExit(history, at, policy, false);
    expect(isCrashLoop(history, policy)).toBe(false);
    expect(isCrashLoop(recordUnexpectedExit(history, 59_999, policy, false), policy)).toBe(true);
    // The first exit has left the window by t = 60 s.
    const later = recordUnexpectedExit(history, 60_000, policy, false);
    expect(later).toEqual([10_000, 20_000, 30_000, 60_000]);
    expect(isCrashLoop(later, policy)).toBe(false);
  });

  it('counts only generations that never became stable: a stable run clears the count', () => {
    let history: number[] = [];
    for (const at of [0, 1_000, 2_000, 3_000]) history = recordUnexpectedExit(history, at, policy, false);
    // The 5th exit within the window, but of a generation that ran stably: no crash loop, count cleared.
    history = recordUnexpectedExit(history, 4_000, policy, true);
    expect(history).toEqual([]);
    expect(isCrashLoop(history, policy)).toBe(false);
    // Killed from outside again and again, each after a stable run: never a crash loop.
    for (let at = 5_000; at < 60_000; at += 2_000) history = recordUnexpectedExit(history, at, policy, true);
    expect(isCrashLoop(history, policy)).toBe(false);
  });

  it.each<[string, number | undefined, number, boolean]>([
    ['never reached running', undefined, 5_000, false],
    ['died right after running', 1_000, 1_500, false],
    ['just short of the minimum uptime', 1_000, 1_999, false],
    ['ran exactly the minimum uptime', 1_000, 2_000, true],
    ['ran for minutes', 1_000, 300_000, true],
  ])('%s → stable: %s', (_name, runningSince, exitedAt, stable) => {
    expect(ranStably(runningSince, exitedAt, policy)).toBe(stable);
  });
});

describe('restart policy defaults', () => {
  it('are one source: the settings defaults and the backoff default are the same numbers', () => {
    expect(DEFAULT_SETTINGS.restartPolicy).toEqual(DEFAULT_RESTART_POLICY);
    expect(DEFAULT_BACKOFF).toMatchObject({ baseDelayMs: DEFAULT_RESTART_POLICY.baseDelayMs, maxDelayMs: DEFAULT_RESTART_POLICY.maxDelayMs });
  });
});

describe('decideOnExit', () => {
  it.each([
    [{ code: EXIT_CONFIG, repairAttempted: false, crashLoop: false }, 'repair'],
    [{ code: EXIT_CONFIG, repairAttempted: false, crashLoop: true }, 'repair'],
    [{ code: EXIT_CONFIG, repairAttempted: true, crashLoop: false }, 'config-invalid'],
    [{ code: 1, repairAttempted: false, crashLoop: true }, 'crash-loop'],
    [{ code: null, repairAttempted: false, crashLoop: false }, 'restart'],
    [{ code: 0, repairAttempted: true, crashLoop: false }, 'restart'],
  ] as const)('%o → %s', (facts, action) => {
    expect(decideOnExit(facts).action).toBe(action);
  });
});

describe('portVerdict', () => {
  const owner = { pid: 4242, command: 'node /opt/gw/reference-gateway.cjs gateway' };
  const base: PortFacts = { listening: true, owner };
  it.each<[string, PortFacts, string]>([
    ['nothing listening (TIME_WAIT leftovers are not listeners)', { listening: false }, 'free'],
    ['our orphan from a previous run, on the port', { ...base, orphanPid: 4242, answer: 'gateway' }, 'reclaim'],
    ['our orphan, even when hung', { ...base, orphanPid: 4242, answer: 'hung' }, 'reclaim'],
    ['our orphan on another (internal) port', { listening: false, orphanPid: 777 }, 'reclaim'],
    ['a healthy gateway we did not start', { ...base, answer: 'gateway' }, 'attach'],
    ['a listener that accepts but never answers', { ...base, answer: 'hung' }, 'hung'],
    ['some other server', { ...base, answer: 'other' }, 'in-use'],
    ['an owner we cannot see', { listening: true, answer: 'other' }, 'in-use'],
  ])('%s → %s', (_name, facts, kind) => {
    expect(portVerdict(facts).kind).toBe(kind);
  });

  it('names the owner when the port is taken, and the orphan to reclaim', () => {
    expect(portVerdict({ ...base, answer: 'other' })).toEqual({ kind: 'in-use', owner });
    expect(portVerdict({ listening: false, orphanPid: 777 })).toEqual({ kind: 'reclaim', pid: 777 });
  });
});
