// Core bugs the chaos soak found, pinned with a deterministic reproduction each.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/supervisor-harness';
import { waitFor } from '../helpers/wait';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
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
        return status.state === 'running' && status.pid !== undefined && environOf(status.pid).get('PINCER_CHAOS_MARK') === 'after' ? status : undefined;
      },
      { timeoutMs: 20_000, what: 'a running generation with the new settings' },
    );
    expect(environOf(final.pid!).has('PINCER_REFGW_START_DELAY_MS')).toBe(false);
    expect(harness.launches).toBe(3);
  });
});
