import { describe, expect, it } from 'vitest';
import { startHeartbeat } from '../../electron/core/connection/heartbeat';

describe('heartbeat', () => {
  it('declares a silent peer hung within 2× the interval, once, and stops its timers', async () => {
    let pings = 0;
    let hungCalls = 0;
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const started = performance.now();
    const hungAt = await new Promise<number>((resolve) => {
      startHeartbeat({ ping: () => pings++ }, 500, () => {
        hungCalls++;
        resolve(performance.now() - started);
      });
    });
    // 2 × 500 ms; the upper bound leaves timer slack for a loaded machine and is still under 3 ×.
    expect(hungAt).toBeGreaterThanOrEqual(995);
    expect(hungAt).toBeLessThan(1_400);
    expect(pings).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(hungCalls).toBe(1);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBeLessThanOrEqual(before);
  });

  it('keeps a peer that answers every ping alive', async () => {
    let hung = false;
    const heartbeat = startHeartbeat({ ping: () => setImmediate(() => heartbeat.alive()) }, 50, () => (hung = true));
    await new Promise((resolve) => setTimeout(resolve, 500));
    heartbeat.stop();
    expect(hung).toBe(false);
  });

  it('a stall of our own event loop is not a hang of the peer', async () => {
    let hung = false;
    const heartbeat = startHeartbeat({ ping: () => setImmediate(() => heartbeat.alive()) }, 100, () => (hung = true));
    // Busy for 4 × the interval: no ping could go out, so the silence says nothing about the peer.
    const until = performance.now() + 400;
    while (performance.now() < until);
    await new Promise((resolve) => setTimeout(resolve, 300));
    heartbeat.stop();
    expect(hung).toBe(false);
  });

  it('rejects a nonsense interval', () => {
    expect(() => startHeartbeat({ ping: () => {} }, 0, () => {})).toThrow(RangeError);
  });
});
