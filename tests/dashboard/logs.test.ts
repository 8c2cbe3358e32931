import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../electron/core/api';
import { appendBounded, linesAfter, LOG_LIMIT, passesLevel } from '../../src/logic/logs';

describe('passesLevel (minimum level filter)', () => {
  it.each([
    ['debug', 'debug', true],
    ['info', 'debug', true],
    ['error', 'debug', true],
    ['debug', 'info', false],
    ['info', 'info', true],
    ['warn', 'info', true],
    ['info', 'warn', false],
    ['warn', 'warn', true],
    ['error', 'warn', true],
    ['warn', 'error', false],
    ['error', 'error', true],
  ] as const)('a %s line with minimum %s → %s', (level, minimum, shown) => {
    expect(passesLevel({ level }, minimum)).toBe(shown);
  });
});

describe('appendBounded', () => {
  it('keeps the newest items up to the limit', () => {
    const buffer = [1, 2, 3];
    appendBounded(buffer, [4, 5], 4);
    expect(buffer).toEqual([2, 3, 4, 5]);
  });

  it('drops nothing below the limit', () => {
    const buffer: number[] = [];
    appendBounded(buffer, [1, 2], 4);
    expect(buffer).toEqual([1, 2]);
  });

  it('stays at the dashboard limit under a flood', () => {
    const buffer: number[] = [];
    for (let i = 0; i < 50; i++)
      appendBounded(
        buffer,
        Array.from({ length: 500 }, (_, j) => i * 500 + j),
        LOG_LIMIT,
      );
    expect(buffer).toHaveLength(LOG_LIMIT);
    expect(buffer[buffer.length - 1]).toBe(50 * 500 - 1);
    expect(buffer[0]).toBe(50 * 500 - LOG_LIMIT);
  });
});

it('linesAfter keeps only lines newer than the given time', () => {
  const line = (at: number): LogLine => ({ at, level: 'info', source: 'stdout', text: String(at) });
  expect(linesAfter([line(1), line(2), line(3)], 2)).toEqual([line(3)]);
});
