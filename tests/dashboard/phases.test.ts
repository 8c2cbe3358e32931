import { describe, expect, it } from 'vitest';
import { lastStartMs, phaseSteps, showPhases } from '../../src/logic/phases';
import { status } from './fixtures';

describe('phaseSteps', () => {
  it('marks earlier phases done with their time and ticks the current one from the snapshot time', () => {
    const s = status({ state: 'starting', phase: 'waiting-ready', phaseTimings: { 'probing-port': 12, spawning: 40 }, at: 5_000 });
    expect(phaseSteps(s, 7_500)).toEqual([
      { phase: 'probing-port', state: 'done', elapsedMs: 12 },
      { phase: 'spawning', state: 'done', elapsedMs: 40 },
      { phase: 'waiting-ready', state: 'current', elapsedMs: 2_500 },
      { phase: 'connecting', state: 'pending' },
    ]);
  });

  it('adds the live time to what the snapshot already recorded for the current phase', () => {
    const s = status({ state: 'starting', phase: 'waiting-ready', phaseTimings: { 'waiting-ready': 3_000 }, at: 5_000 });
    expect(phaseSteps(s, 6_000)[2]).toEqual({ phase: 'waiting-ready', state: 'current', elapsedMs: 4_000 });
  });

  it('never counts backwards when the clock is behind the snapshot', () => {
    const s = status({ state: 'starting', phase: 'probing-port', at: 5_000 });
    expect(phaseSteps(s, 4_000)[0]!.elapsedMs).toBe(0);
  });

  it('shows an earlier phase without a timing as skipped (e.g. nothing to spawn when attaching)', () => {
    const s = status({ state: 'starting', phase: 'connecting', phaseTimings: { 'probing-port': 5, 'waiting-ready': 30 }, at: 0 });
    expect(phaseSteps(s, 0).map((step) => step.state)).toEqual(['done', 'skipped', 'done', 'current']);
  });

  it('outside a start, shows the recorded timings of the last start as done', () => {
    const s = status({ state: 'running', phaseTimings: { 'probing-port': 5, spawning: 20 } });
    expect(phaseSteps(s, 0).map((step) => step.state)).toEqual(['done', 'done', 'pending', 'pending']);
  });
});

describe('lastStartMs', () => {
  it.each([
    [{ phaseTimings: { 'probing-port': 10, spawning: 40, 'waiting-ready': 5_800, connecting: 60 } }, 5_910],
    [{ phaseTimings: {} }, undefined],
    // A start that failed before connecting has no total.
    [{ phaseTimings: { 'probing-port': 9 } }, undefined],
    [{ phase: 'spawning' as const, phaseTimings: { 'probing-port': 10 } }, undefined],
  ])('%j → %s', (partial, expected) => {
    expect(lastStartMs(partial)).toBe(expected);
  });
});

describe('showPhases', () => {
  it.each([
    [{ state: 'starting' as const }, true],
    [{ state: 'restarting' as const, phase: 'spawning' as const }, true],
    [{ state: 'restarting' as const }, false],
    [{ state: 'running' as const }, false],
    [{ state: 'error' as const }, false],
  ])('%j → %s', (partial, expected) => {
    expect(showPhases(partial)).toBe(expected);
  });
});
