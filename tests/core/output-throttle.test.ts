import { describe, expect, it } from 'vitest';
import { createOutputThrottle } from '../../electron/core/output-throttle';

describe('createOutputThrottle', () => {
  it('keeps up to the limit per one-second window, counts the rest, and reports them once', () => {
    const throttle = createOutputThrottle(3);
    const admitted = [0, 1, 2, 3, 4, 999].map((t) => throttle.admit(t));
    expect(admitted).toEqual([true, true, true, false, false, false]);
    expect(throttle.takeDropped()).toBe(0); // the window has not ended yet
    expect(throttle.admit(1_000)).toBe(true);
    expect(throttle.takeDropped()).toBe(3);
    expect(throttle.takeDropped()).toBe(0);
  });

  it('never drops below the limit', () => {
    const throttle = createOutputThrottle(100);
    for (let t = 0; t < 10_000; t += 20) expect(throttle.admit(t)).toBe(true);
    expect(throttle.takeDropped()).toBe(0);
  });
});
