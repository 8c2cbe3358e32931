// The defects found from outside (issue 13), reproduced with real processes: a stable gateway
// killed again and again is not a crash loop; a restart storm spread over seconds through the
// real HTTP API gives one restart.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../electron/core/process/tree';
import { MIN_STABLE_UPTIME_MS } from '../../electron/core/policy/restart-policy';
import type { GatewayStatus } from '../../electron/core/status';
import { buildAll } from '../helpers/build';
import { freePort } from '../helpers/ports';
import { apiRestartStorm } from '../helpers/restart-storm';
import { createHarness, type Harness } from '../helpers/supervisor-harness';
import { startTwin, type Twin } from '../helpers/twin';
import { waitFor } from '../helpers/wait';

describe('a healthy gateway killed from outside, again and again', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
  });

  it('kill -9 and SIGSTOP alternating, more than crashLoopMaxExits within the window → restarted every time, never CRASH_LOOP', async () => {
    const crashLoopMaxExits = 3;
    harness = await createHarness({
      settings: { heartbeatMs: 500, restartPolicy: { baseDelayMs: 50, maxDelayMs: 400, crashLoopMaxExits, crashLoopWindowMs: 60_000 } },
    });
    const { supervisor } = harness;
    await supervisor.start();
    const faults = 2 * crashLoopMaxExits;
    for (let fault = 0; fault < faults; fault++) {
      // Stable first: it has been running (and serving) for the minimum uptime.
      const stable = await waitFor(
        () => {
          const status = supervisor.status();
          return status.state === 'running' && (status.uptimeMs ?? 0) >= MIN_STABLE_UPTIME_MS + 100 ? status : undefined;
        },
        { what: `a stable generation before fault ${fault + 1}` },
      );
      await expect(supervisor.request('health')).resolves.toBeTruthy();
      const victim = stable.pid!;
      process.kill(victim, fault % 2 === 0 ? 'SIGKILL' : 'SIGSTOP');
      const recovered = await waitFor(
        () => {
          const status = supervisor.status();
          if (status.state === 'error') throw new Error(`ended in error ${status.error?.code}: ${status.error?.message}`);
          return status.state === 'running' && status.pid !== victim ? status : undefined;
        },
        { timeoutMs: 30_000, what: `recovery from fault ${fault + 1}` },
      );
      expect(isAlive(victim)).toBe(false);
      expect(recovered.restarts).toBe(fault + 1);
    }
    expect(harness.history.some((status) => status.state === 'error')).toBe(false);
    expect(harness.launches).toBe(faults + 1);
    expect((await harness.gatewayChildren()).length).toBe(1);
  });

  it('a gateway that reaches running but dies before it is stable, again and again → CRASH_LOOP, with a hint saying so', async () => {
    harness = await createHarness({
      env: { PINCER_REFGW_CRASH_AFTER_MS: '400' },
      settings: { restartPolicy: { baseDelayMs: 50, maxDelayMs: 200, crashLoopMaxExits: 3, crashLoopWindowMs: 60_000 } },
    });
    void harness.supervisor.start();
    const status = await harness.waitForState('error');
    expect(status.error?.code).toBe('CRASH_LOOP');
    expect(status.error?.message).toMatch(/3 times within 60 s, each time before it had run stably/);
    expect(status.error?.hint).toMatch(/keeps crashing right after start, before it runs stably/);
    expect(harness.launches).toBe(3);
  });
});

describe('a restart storm through the real HTTP API', () => {
  let twin: Twin;
  beforeAll(async () => {
    await buildAll();
    twin = await startTwin({ gatewayPort: await freePort() });
  }, 120_000);
  afterAll(async () => {
    await twin?.stop();
  });

  it('200 POST /api/restart spread over ~2 s → exactly 1 restart', async () => {
    const before = await waitFor(
      async () => {
        const status = await twin.status();
        return status.state === 'running' ? status : undefined;
      },
      { timeoutMs: 30_000, what: 'the twin running its gateway' },
    );
    const replies = await apiRestartStorm(twin, { requests: 200, spreadMs: 2_000 });
    expect(replies.every((reply) => reply.status === 202)).toBe(true);
    // Every intent is decided when its request arrives: all are in once all are answered.
    const after = await waitFor(
      async () => {
        const status = await twin.status();
        return status.state === 'running' && status.pid !== before.pid ? status : undefined;
      },
      { timeoutMs: 30_000, what: 'the one restart to complete' },
    );
    expect(after.restarts - before.restarts).toBe(1);
    const states = (JSON.parse((await twin.request('GET', '/api/timeline')).body) as Array<Pick<GatewayStatus, 'state'>>).map((entry) => entry.state);
    expect(states.filter((state) => state === 'restarting')).toHaveLength(1);
  }, 60_000);
});
