import { expect, it } from 'vitest';
import { reconnectDelayMs } from '../../src/api/reconnect';

it.each([
  [0, 500],
  [1, 1_000],
  [2, 2_000],
  [4, 8_000],
  [5, 10_000],
  [50, 10_000],
])('attempt %d waits %d ms', (attempt, delay) => {
  expect(reconnectDelayMs(attempt)).toBe(delay);
});
