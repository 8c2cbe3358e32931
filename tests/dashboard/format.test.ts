import { describe, expect, it } from 'vitest';
import { formatAgo, formatClock, formatDuration, formatElapsed, formatExit } from '../../src/logic/format';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [840, '840 ms'],
    [999, '999 ms'],
    [1000, '1 s'],
    [59_999, '59 s'],
    [60 * S, '1m 00s'],
    [4 * M + 5 * S, '4m 05s'],
    [H, '1h 00m 00s'],
    [2 * H + 14 * M + 5 * S, '2h 14m 05s'],
    [3 * D + 4 * H + 12 * M + 59 * S, '3d 4h 12m'],
    [-5000, '0 ms'],
    [Number.NaN, '—'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatElapsed', () => {
  it.each([
    [12, '12 ms'],
    [999.6, '1.0 s'],
    [1000, '1.0 s'],
    [2_449, '2.4 s'],
    [9_999, '9.9 s'],
    [10_000, '10 s'],
    [59_400, '59 s'],
    [75_000, '1m 15s'],
    [Number.POSITIVE_INFINITY, '—'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatElapsed(ms)).toBe(text);
  });
});

describe('formatAgo', () => {
  const now = 10 * D;
  it.each([
    [now, 'just now'],
    [now - 4_999, 'just now'],
    [now - 12 * S, '12 s ago'],
    [now - 4 * M - 59 * S, '4 min ago'],
    [now - 2 * H, '2 h ago'],
    [now - 3 * D, '3 d ago'],
    [now + 5 * S, 'just now'],
  ])('%d → %s', (at, text) => {
    expect(formatAgo(at, now)).toBe(text);
  });
});

describe('formatExit', () => {
  it.each([
    [{ code: 1, signal: null }, 'exit code 1'],
    [{ code: 0, signal: null }, 'exit code 0'],
    [{ code: null, signal: 'SIGKILL' }, 'killed by SIGKILL'],
    [{ code: 143, signal: 'SIGTERM' }, 'killed by SIGTERM'],
    [{ code: null, signal: null }, 'exited'],
  ])('%j → %s', (exit, text) => {
    expect(formatExit(exit)).toBe(text);
  });
});

it('formatClock shows local wall-clock time with zero padding', () => {
  expect(formatClock(new Date(2026, 0, 2, 9, 5, 3).getTime())).toBe('09:05:03');
});
