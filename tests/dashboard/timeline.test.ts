import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../electron/core/api';
import { appendStatus, bandKind, bandShares, prune, restartMarkers, timelineBands } from '../../src/logic/timeline';

const M = 60_000;
const HOUR = 60 * M;
const now = 10 * HOUR;

describe('bandKind', () => {
  it.each([
    ['running', 'running'],
    ['starting', 'starting'],
    ['restarting', 'starting'],
    ['reconnecting', 'starting'],
    ['stopping', 'starting'],
    ['stopped', 'stopped'],
    ['error', 'error'],
  ] as const)('%s → %s', (state, kind) => {
    expect(bandKind(state)).toBe(kind);
  });
});

describe('timelineBands', () => {
  it('clips to the last hour, ends the last band at now and merges same-kind neighbours', () => {
    const entries: TimelineEntry[] = [
      { at: now - 2 * HOUR, state: 'running', pid: 1 },
      { at: now - 30 * M, state: 'restarting' },
      { at: now - 29 * M, state: 'starting' },
      { at: now - 28 * M, state: 'running', pid: 2 },
      { at: now - 10 * M, state: 'error' },
    ];
    expect(timelineBands(entries, now)).toEqual([
      { from: now - HOUR, to: now - 30 * M, kind: 'running', state: 'running' },
      { from: now - 30 * M, to: now - 28 * M, kind: 'starting', state: 'restarting' },
      { from: now - 28 * M, to: now - 10 * M, kind: 'running', state: 'running' },
      { from: now - 10 * M, to: now, kind: 'error', state: 'error' },
    ]);
  });

  it('leaves the time before the first entry empty (no invented history)', () => {
    expect(timelineBands([{ at: now - 5 * M, state: 'running' }], now)).toEqual([{ from: now - 5 * M, to: now, kind: 'running', state: 'running' }]);
  });

  it('drops bands that end before the window and zero-length ones', () => {
    const entries: TimelineEntry[] = [
      { at: now - 3 * HOUR, state: 'stopped' },
      { at: now - 2 * HOUR, state: 'running' },
      { at: now - 2 * HOUR, state: 'error' },
    ];
    expect(timelineBands(entries, now)).toEqual([{ from: now - HOUR, to: now, kind: 'error', state: 'error' }]);
  });

  it('is empty without entries', () => {
    expect(timelineBands([], now)).toEqual([]);
  });
});

describe('restartMarkers', () => {
  it('marks each new process reaching running after an earlier one, inside the window only', () => {
    const entries: TimelineEntry[] = [
      { at: now - 3 * HOUR, state: 'running', pid: 1 },
      { at: now - 2 * HOUR, state: 'running', pid: 2 }, // before the window
      { at: now - 40 * M, state: 'reconnecting', pid: 2 },
      { at: now - 39 * M, state: 'running', pid: 2 }, // same process: a reconnect, not a restart
      { at: now - 20 * M, state: 'restarting' },
      { at: now - 19 * M, state: 'running', pid: 3 },
      { at: now - 10 * M, state: 'starting' }, // a crash, recovered by the core
      { at: now - 9 * M, state: 'running', pid: 4 },
    ];
    expect(restartMarkers(entries, now)).toEqual([
      { at: now - 19 * M, pid: 3, previousPid: 2 },
      { at: now - 9 * M, pid: 4, previousPid: 3 },
    ]);
  });

  it('a start after stopped or error is a fresh start, not a restart', () => {
    const entries: TimelineEntry[] = [
      { at: now - 30 * M, state: 'running', pid: 1 },
      { at: now - 25 * M, state: 'stopping', pid: 1 },
      { at: now - 24 * M, state: 'stopped' },
      { at: now - 20 * M, state: 'starting' },
      { at: now - 19 * M, state: 'running', pid: 2 },
      { at: now - 10 * M, state: 'error' },
      { at: now - 5 * M, state: 'starting' },
      { at: now - 4 * M, state: 'running', pid: 3 },
      { at: now - 2 * M, state: 'restarting', pid: 3 },
      { at: now - 1 * M, state: 'running', pid: 4 },
    ];
    expect(restartMarkers(entries, now)).toEqual([{ at: now - 1 * M, pid: 4, previousPid: 3 }]);
  });

  it('does not mark the first start', () => {
    expect(restartMarkers([{ at: now - M, state: 'running', pid: 9 }], now)).toEqual([]);
  });
});

describe('appendStatus', () => {
  const base: TimelineEntry[] = [{ at: now - 10 * M, state: 'running', pid: 1 }];

  it('adds an entry when the state changes', () => {
    expect(appendStatus(base, { at: now, state: 'restarting' })).toEqual([...base, { at: now, state: 'restarting' }]);
  });

  it('adds an entry when the pid changes in the same state', () => {
    expect(appendStatus(base, { at: now, state: 'running', pid: 2 })).toHaveLength(2);
  });

  it('ignores a status that repeats the last state and pid', () => {
    expect(appendStatus(base, { at: now, state: 'running', pid: 1 })).toBe(base);
  });

  it('ignores a snapshot older than the newest entry', () => {
    expect(appendStatus(base, { at: now - 20 * M, state: 'error' })).toBe(base);
  });

  it('starts a history from nothing', () => {
    expect(appendStatus([], { at: now, state: 'starting' })).toEqual([{ at: now, state: 'starting' }]);
  });
});

describe('prune', () => {
  it('keeps the last entry before the window, since it says how the window opens', () => {
    const entries: TimelineEntry[] = [
      { at: now - 3 * HOUR, state: 'stopped' },
      { at: now - 2 * HOUR, state: 'running', pid: 1 },
      { at: now - 30 * M, state: 'error' },
    ];
    expect(prune(entries, now)).toEqual(entries.slice(1));
  });

  it('keeps the newest entry when all are older than the window', () => {
    const entries: TimelineEntry[] = [
      { at: now - 3 * HOUR, state: 'stopped' },
      { at: now - 2 * HOUR, state: 'running', pid: 1 },
    ];
    expect(prune(entries, now)).toEqual([entries[1]]);
  });

  it('stays bounded under a long stream of changes', () => {
    let entries: TimelineEntry[] = [];
    for (let i = 0; i < 10_000; i++) entries = appendStatus(entries, { at: i * M, state: i % 2 ? 'running' : 'restarting' });
    expect(entries.length).toBeLessThanOrEqual(62);
  });
});

it('bandShares adds up each kind as a share of the hour', () => {
  const shares = bandShares([
    { from: 0, to: 45 * M, kind: 'running', state: 'running' },
    { from: 45 * M, to: 48 * M, kind: 'starting', state: 'starting' },
    { from: 48 * M, to: 60 * M, kind: 'error', state: 'error' },
  ]);
  expect(shares).toEqual({ running: 0.75, starting: 0.05, stopped: 0, error: 0.2 });
});
