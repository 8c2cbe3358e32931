// Core bugs the chaos soak found, pinned with a deterministic reproduction each.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { addPidRecord } from '../../electron/core/pidfile';
import { isAlive, processIdentity } from '../../electron/core/process/tree';
import { freePort } from '../helpers/ports';
import { startReferenceGateway, stopAllReferenceGateways } from '../helpers/reference-gateway';
import { createHarness, TEST_TOKEN, type Harness } from '../helpers/supervisor-harness';
import { waitFor } from '../helpers/wait';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
  await stopAllReferenceGateways();
});

function environOf(pid: number): Map<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  return new Map(entries.filter((e) => e.includes('=')).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

describe('chaos regressions', () => {
  it('a settings change during a restart reaches the gateway: its restart is not swallowed by the one in flight (chaos seed 7, faults 41 and 65)', async () => {
    // The restart in flight is slow (its generation takes 1.5 s to get ready), so the settings
    // restart fires while it runs, after it already launched its generation with the old settings.
    harness = await createHarness({ settings: { gatewayEnv: { PINCER_REFGW_START_DELAY_MS: '1500' } } });
    const { supervisor } = harness;
    await supervisor.start();
    expect(supervisor.status().state).toBe('running');

    void supervisor.restart();
    await waitFor(() => harness!.launches === 2, { what: 'the restart to launch its generation' });
    harness.settings = { ...harness.settings, gatewayEnv: { PINCER_CHAOS_MARK: 'after' } };
    supervisor.debouncedRestart(50);

    const final = await waitFor(
      () => {
        const status = supervisor.status();
        return status.state === 'running' && status.pid !== undefined && environOf(status.pid).get('PINCER_CHAOS_MARK') === 'after'
          ? status
          : undefined;
      },
      { timeoutMs: 20_000, what: 'a running generation with the new settings' },
    );
    expect(environOf(final.pid!).has('PINCER_REFGW_START_DELAY_MS')).toBe(false);
    expect(harness.launches).toBe(3);
  });

  it('a Pincer killed mid blue/green leaves two recorded generations: the next one reclaims both and starts (chaos seed 1, fault 185 of 500)', async () => {
    harness = await createHarness();
    // The state a crash between "new generation spawned" and "old one retired" leaves: two live
    // gateways of ours, both in the pid list.
    const orphans = await Promise.all([freePort(), freePort()].map(async (port) => startReferenceGateway({ port: await port, token: TEST_TOKEN })));
    for (const orphan of orphans) {
      addPidRecord(harness.dataDir, { pid: orphan.pid, port: 0, startedAt: Date.now(), identity: (await processIdentity(orphan.pid))! });
    }
    await harness.supervisor.start();
    const status = harness.supervisor.status();
    expect(status.error).toBeUndefined();
    expect(status.state).toBe('running');
    for (const orphan of orphans) await waitFor(() => !isAlive(orphan.pid), { what: `orphan ${orphan.pid} to be reclaimed` });
    expect(harness.launches).toBe(1);
  });
});
