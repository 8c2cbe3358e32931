// The front-door benchmark runs end to end (short windows) and reports every figure; the goals that
// do not depend on machine noise are asserted: no refusal through the door, refusals without it.
import { afterAll, expect, it } from 'vitest';
import { benchFrontDoor } from '../../bench/frontdoor';
import { stopAllReferenceGateways } from '../helpers/reference-gateway';

afterAll(() => stopAllReferenceGateways());

it('benchFrontDoor measures restarts, overhead and idle cost side by side', { timeout: 180_000 }, async () => {
  const result = await benchFrontDoor({ restarts: 2, rounds: 1, rttMessages: 300, throughputMs: 300, idleWindowMs: 500, idleConnections: 2 });
  console.log(result);
  expect(result['restart blue/green via front door: refused per restart (goal 0)']).toBe(0);
  expect(result['restart blue/green via front door: other client errors (goal 0)']).toBe(0);
  expect(result['in-process restart via front door: refused per restart (goal 0)']).toBe(0);
  expect(result['in-process restart via front door: other client errors (goal 0)']).toBe(0);
  expect(result['restart stop→start direct: refused per restart']).toBeGreaterThan(0);
  expect(result['in-process restart (SIGUSR2, 300 ms gap) direct: refused per restart']).toBeGreaterThan(0);
  for (const key of [
    'ws round trip p50 ratio (goal ≤ 1.3)',
    'ws 64 KiB throughput ratio (goal ≥ 0.8)',
    'gateway health RPC round trip p50 ratio',
    'idle front door: CPU ms over the window',
  ]) {
    expect(result[key], key).toEqual(expect.any(Number));
    expect(Number.isFinite(result[key] as number), key).toBe(true);
  }
});
