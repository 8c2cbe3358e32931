import { describe, expect, it } from 'vitest';
import { startHeartbeat } from '../../electron/core/connection/heartbeat';

describe('heartbeat', () => {
  it('declares a silent peer hung within 2× the interval, once, and stops its timers', async () => {
    let pings = 0;
    let hungCalls = 0;
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const started = performance.now();
    const hungAt = await new Promise<number>((resolve) => {
      startHeartbeat({ ping: () => pings++ }, 100, () => {
        hungCalls++;
        resolve(performance.now() - started);
      });
    });
    expect(hungAt).toBeGreaterThanOrEqual(195);
    expect(hungAt).toBeLessThan(400);
    expect(pings).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(hungCalls).toBe(1);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBeLessThanOrEqual(before);
  });

  it('keeps a peer that answers every ping alive', async () => {
    let hung = false;
    const heartbeat = startHeartbeat(
      { ping: () => setImmediate(() => heartbeat.alive()) },
      50,
      () => (hung = true),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    heartbeat.stop();
    expect(hung).toBe(false);
  });

  it('rejects a nonsense interval', () => {
    expect(() => startHeartbeat({ ping: () => {} }, 0, () => {})).toThrow(RangeError);
  });
});
