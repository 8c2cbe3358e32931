import { describe, expect, it } from 'vitest';
import {
  GatewayConnectionClosedError,
  GatewayRequestError,
  GatewayRequestTimeoutError,
  GatewayRestartingError,
  PendingCalls,
} from '../../electron/core/connection/rpc';

describe('PendingCalls', () => {
  it('resolves a call with its payload and forgets it', async () => {
    const calls = new PendingCalls();
    const result = calls.add<{ ok: boolean }>('1', 'health', 1_000);
    expect(calls.size).toBe(1);
    expect(calls.settle('1', { ok: true, payload: { ok: true } })).toBe(true);
    await expect(result).resolves.toEqual({ ok: true });
    expect(calls.size).toBe(0);
    expect(calls.settle('1', { ok: true })).toBe(false);
  });

  it('rejects an error response as GatewayRequestError with code and details', async () => {
    const calls = new PendingCalls();
    const result = calls.add('7', 'status', 1_000);
    calls.settle('7', { ok: false, error: { code: 'FORBIDDEN', message: 'missing scope', details: { scope: 'operator.admin' } } });
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayRequestError);
    expect(error).toMatchObject({ method: 'status', code: 'FORBIDDEN', details: { scope: 'operator.admin' } });
  });

  it('times out a call that gets no answer, and a late answer is reported as unknown', async () => {
    const calls = new PendingCalls();
    const started = performance.now();
    const error = await calls.add('9', 'health', 50).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayRequestTimeoutError);
    expect(error).toMatchObject({ method: 'health', timeoutMs: 50 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(calls.size).toBe(0);
    expect(calls.settle('9', { ok: true })).toBe(false);
  });

  it('rejects every pending call with the given typed error and clears the timeout timer', async () => {
    const calls = new PendingCalls();
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const pending = [calls.add('a', 'health', 60_000), calls.add('b', 'status', 60_000)];
    // One timer serves every deadline.
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(before + 1);
    calls.rejectAll(new GatewayRestartingError({ reason: 'restart', restartExpectedMs: 1500 }));
    for (const call of pending) {
      const error = await call.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayRestartingError);
      expect(error).toMatchObject({ restartExpectedMs: 1500 });
    }
    expect(calls.size).toBe(0);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(before);
    calls.rejectAll(new GatewayConnectionClosedError(1006, '')); // nothing left: no-op
  });

  it('refuses a duplicate id', () => {
    const calls = new PendingCalls();
    void calls.add('x', 'health', 1_000).catch(() => {});
    expect(() => calls.add('x', 'health', 1_000)).toThrow(/duplicate/);
    calls.rejectAll(new GatewayConnectionClosedError(1000, 'test over'));
  });
});

describe('PendingCalls deadlines', () => {
  it('times out each call at its own deadline, whatever the order they were added in', async () => {
    const calls = new PendingCalls();
    const started = performance.now();
    const settledAt = (promise: Promise<unknown>) =>
      promise.then(
        () => Number.NaN,
        (error: unknown) => {
          expect(error).toBeInstanceOf(GatewayRequestTimeoutError);
          return performance.now() - started;
        },
      );
    const slow = settledAt(calls.add('slow', 'status', 1_000));
    const fast = settledAt(calls.add('fast', 'health', 60));
    const answered = calls.add('answered', 'health', 100);
    calls.settle('answered', { ok: true, payload: 1 });
    const [slowAt, fastAt] = await Promise.all([slow, fast]);
    await expect(answered).resolves.toBe(1);
    expect(fastAt).toBeGreaterThanOrEqual(55);
    // Well before the slow call's deadline, with timer slack for a loaded machine.
    expect(fastAt).toBeLessThan(700);
    expect(slowAt).toBeGreaterThanOrEqual(995);
    expect(calls.size).toBe(0);
  });
});
