import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../../electron/core/process/tree';
import { createHarness, type Harness } from '../helpers/supervisor-harness';
import { waitFor } from '../helpers/wait';

describe('supervisor crash handling', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
  });

  it('kill -9 → restarting → running with a new pid, lastExit recorded, one restart', async () => {
    harness = await createHarness();
    await harness.supervisor.start();
    const first = harness.supervisor.status().pid!;
    process.kill(first, 'SIGKILL');
    const recovered = await waitFor(
      () => {
        const status = harness!.supervisor.status();
        return status.state === 'running' && status.pid !== first ? status : undefined;
      },
      { what: 'recovery with a new pid' },
    );
    expect(recovered.lastExit).toMatchObject({ signal: 'SIGKILL', code: null });
    expect(recovered.restarts).toBe(1);
    expect(harness.history.map((s) => s.state)).toContain('restarting');
    expect(await harness.gatewayChildren()).toEqual([recovered.pid]);
  });

  it('a gateway that keeps crashing → error CRASH_LOOP with the stderr tail, and no more restarts', async () => {
    harness = await createHarness({
      env: { PINCER_REFGW_CRASH_AFTER_MS: '0' },
      settings: { restartPolicy: { baseDelayMs: 50, maxDelayMs: 200, crashLoopMaxExits: 3, crashLoopWindowMs: 60_000 } },
    });
    void harness.supervisor.start();
    const status = await harness.waitForState('error');
    expect(status.error?.code).toBe('CRASH_LOOP');
    expect(status.error?.hint).toBeTruthy();
    expect(status.stderrTail.length).toBeGreaterThan(0);
    const launches = harness.launches;
    expect(launches).toBe(3);
    // Stays put: nothing restarts it behind the user's back.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(harness.launches).toBe(launches);
    expect(harness.supervisor.status().state).toBe('error');
  });

  it('exit 78 → the repair runs once → still 78 → CONFIG_INVALID with what was tried, no loop', async () => {
    harness = await createHarness({ env: { PINCER_REFGW_EXIT_CODE: '78' } });
    void harness.supervisor.start();
    const status = await harness.waitForState('error');
    expect(status.error?.code).toBe('CONFIG_INVALID');
    expect(status.error?.repair?.command).toContain('doctor --fix --yes --non-interactive');
    expect(status.lastExit?.code).toBe(78);
    // gateway, repair, gateway again: three launches, then it stops trying.
    expect(harness.launches).toBe(3);
  });

  it('exit 78 from a broken config file → the repair fixes it → running', async () => {
    const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'pincer-cfg-'));
    const config = path.join(dir, 'gateway.json');
    fs.writeFileSync(config, '{ not json');
    harness = await createHarness({ env: { PINCER_REFGW_CONFIG: config } });
    await harness.supervisor.start();
    await harness.waitForState('running');
    expect(harness.supervisor.status().lastExit?.code).toBe(78);
    expect(JSON.parse(fs.readFileSync(config, 'utf8'))).toEqual({});
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a hung gateway (SIGSTOP) is detected within 2× the heartbeat, killed and started again', async () => {
    harness = await createHarness({ settings: { heartbeatMs: 500 } });
    await harness.supervisor.start();
    const hung = harness.supervisor.status().pid!;
    const stoppedAt = Date.now();
    process.kill(hung, 'SIGSTOP');
    await waitFor(() => harness!.supervisor.status().state !== 'running', { what: 'the hang to be noticed' });
    const detectedMs = Date.now() - stoppedAt;
    const after = await waitFor(
      () => {
        const status = harness!.supervisor.status();
        return status.state === 'running' && status.pid !== hung ? status : undefined;
      },
      { what: 'running again' },
    );
    // 2× heartbeat after the last pong, plus timer and scheduling slack on a busy machine.
    expect(detectedMs).toBeLessThan(1_000 + 1_500);
    expect(isAlive(hung)).toBe(false);
    expect(after.lastExit).toMatchObject({ signal: 'SIGKILL' });
  });

  it('a user stop never triggers a restart', async () => {
    harness = await createHarness();
    await harness.supervisor.start();
    const pid = harness.supervisor.status().pid!;
    await harness.supervisor.stop();
    expect(isAlive(pid)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(harness.supervisor.status().state).toBe('stopped');
    expect(await harness.gatewayChildren()).toEqual([]);
  });
});

describe('a control connection that keeps dropping right after the handshake', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
  });

  it('backs off like a crash loop instead of reconnecting in a busy loop', async () => {
    // The gateway sends an oversized frame after every hello-ok: each connection dies with 1009.
    harness = await createHarness({ env: { PINCER_REFGW_MALFORMED: '1' } });
    void harness.supervisor.start();
    const losses: number[] = [];
    harness.supervisor.onStatus((status) => {
      if (status.state === 'reconnecting' && harness!.history.at(-2)?.state !== 'reconnecting') losses.push(Date.now());
    });
    await waitFor(() => losses.length >= 8, { timeoutMs: 30_000, what: '8 connection losses' });
    // Base 100 ms: the 8th loss can come no sooner than 0+50+100+200+400+800+1600 ms after the first
    // (each delay at least half its ceiling). Without backoff it came ~1 s after the first.
    expect(losses[7]! - losses[0]!).toBeGreaterThanOrEqual(3_150);
    expect(harness.supervisor.status().pid).toBe(harness.history.find((s) => s.state === 'running')?.pid);
  });
});
