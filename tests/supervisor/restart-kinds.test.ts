// Restart kinds on real processes: a healthy in-process-capable gateway (the reference gateway run
// as OpenClaw runs: one at a time, SIGUSR2 restarts it in-process) restarts in-process — same pid,
// new bootId, no new launch; a full restart, a changed environment, or a restart that does not come
// back in time replace the process; a gateway started by hand is attached and restarted by its own
// means, never killed.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { referenceGateway } from '../../electron/core/gateway/programs';
import { isAlive } from '../../electron/core/process/tree';
import { createHarness, TEST_TOKEN, type Harness } from '../helpers/supervisor-harness';
import { waitFor } from '../helpers/wait';

/** The reference gateway with OpenClaw's restart traits. */
const openclawLike = (entry: string) => ({ ...referenceGateway(entry, '0.0.0-test'), sideBySide: false, inProcessRestart: true });

let harness: Harness | undefined;
let hand: ChildProcess | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
  if (hand && hand.exitCode === null && hand.signalCode === null) {
    hand.kill('SIGTERM');
    await waitFor(() => hand!.exitCode !== null || hand!.signalCode !== null, { what: 'the hand-started gateway to exit' });
  }
  hand = undefined;
});

const running = (h: Harness, predicate: (s: ReturnType<Harness['supervisor']['status']>) => boolean, what: string) =>
  waitFor(
    () => {
      const status = h.supervisor.status();
      return status.state === 'running' && predicate(status) ? status : undefined;
    },
    { timeoutMs: 30_000, what },
  );

describe('restart kinds', () => {
  it('a healthy gateway that restarts itself: in-process (same pid, new bootId, no new launch)', async () => {
    harness = await createHarness({ program: openclawLike });
    await harness.supervisor.start();
    const before = harness.supervisor.status();
    await harness.supervisor.restart('auto');
    const after = await running(harness, (s) => s.gateway.bootId !== before.gateway.bootId, 'the new bootId');
    expect(after.pid).toBe(before.pid);
    expect(after.lastRestart).toMatchObject({ kind: 'in-process' });
    expect(after.lastRestart!.durationMs).toBeGreaterThan(0);
    expect(harness.launches).toBe(1);
  });

  it('a full restart asked for: a new process', async () => {
    harness = await createHarness({ program: openclawLike });
    await harness.supervisor.start();
    const before = harness.supervisor.status();
    await harness.supervisor.restart('full');
    const after = await running(harness, (s) => s.pid !== before.pid, 'a new pid');
    expect(after.lastRestart).toMatchObject({ kind: 'full' });
    expect(after.lastRestart!.reason).toBeUndefined();
    expect(harness.launches).toBe(2);
  });

  it('its environment changed: a full restart, saying why', async () => {
    harness = await createHarness({ program: openclawLike });
    await harness.supervisor.start();
    const before = harness.supervisor.status();
    harness.settings = { ...harness.settings, gatewayEnv: { EXTRA_SETTING: '1' } };
    await harness.supervisor.restart('auto');
    const after = await running(harness, (s) => s.pid !== before.pid, 'a new pid');
    expect(after.lastRestart).toMatchObject({ kind: 'full', reason: expect.stringContaining('environment changed') });
  });

  it('an in-process restart that does not come back in time falls back to a full restart', async () => {
    // The gateway keeps its port closed 5 s after SIGUSR2; Pincer waits 1 s for it.
    harness = await createHarness({ program: openclawLike, env: { PINCER_REFGW_RESTART_GAP_MS: '5000' }, timeouts: { selfRestartMs: 1_000 } });
    await harness.supervisor.start();
    const before = harness.supervisor.status();
    await harness.supervisor.restart('auto');
    const after = await running(harness, (s) => s.pid !== before.pid, 'a new pid after the fallback');
    expect(after.lastRestart).toMatchObject({ kind: 'full', reason: expect.stringContaining('did not come back') });
    expect(isAlive(before.pid!)).toBe(false);
  });

  it('the reference gateway (blue/green) restarts as a new process', async () => {
    harness = await createHarness();
    await harness.supervisor.start();
    const before = harness.supervisor.status();
    await harness.supervisor.restart('auto');
    const after = await running(harness, (s) => s.pid !== before.pid, 'a new pid');
    expect(after.lastRestart).toMatchObject({ kind: 'full', reason: expect.stringContaining('no in-process restart') });
  });

  it('a gateway started by hand: attached as external, restarted by SIGUSR2, never stopped', async () => {
    harness = await createHarness({ program: openclawLike });
    const { entry, port } = harness;
    hand = spawn(process.execPath, [entry, 'gateway', '--port', String(port), '--bind', 'loopback'], {
      env: { PATH: process.env.PATH, OPENCLAW_GATEWAY_TOKEN: TEST_TOKEN },
      stdio: 'ignore',
    });
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200, {
      what: 'the hand-started gateway',
    });
    await harness.supervisor.start();
    const attached = harness.supervisor.status();
    expect(attached).toMatchObject({ state: 'running', attached: true, pid: hand.pid });
    expect(attached.external).toMatchObject({ pid: hand.pid, manager: 'manual', restart: { how: 'signal' }, stop: { disabled: expect.any(String) } });
    await harness.supervisor.restart('auto');
    const after = await running(harness, (s) => s.gateway.bootId !== attached.gateway.bootId, 'the new bootId');
    expect(after).toMatchObject({ pid: hand.pid, attached: true, lastRestart: { kind: 'in-process' } });
    expect(harness.launches).toBe(0);
    await harness.supervisor.stop();
    expect(isAlive(hand.pid!)).toBe(true);
  });
});
