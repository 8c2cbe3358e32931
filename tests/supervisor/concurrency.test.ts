import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../../electron/core/process/tree';
import { createHarness, type Harness } from '../helpers/supervisor-harness';
import { waitFor } from '../helpers/wait';

describe('supervisor under concurrent intents', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
  });

  it('a storm of 1000 debounced restart requests → exactly one restart', async () => {
    harness = await createHarness();
    await harness.supervisor.start();
    const before = harness.supervisor.status().pid;
    for (let i = 0; i < 1000; i++) harness.supervisor.debouncedRestart(200);
    await waitFor(() => {
      const status = harness!.supervisor.status();
      return status.state === 'running' && status.pid !== before ? status : undefined;
    }, { what: 'the one restart' });
    expect(harness.supervisor.status().restarts).toBe(1);
    expect(harness.launches).toBe(2);
  });

  it('concurrent restart() calls join the restart in flight', async () => {
    harness = await createHarness();
    await harness.supervisor.start();
    await Promise.all(Array.from({ length: 50 }, () => harness!.supervisor.restart()));
    expect(harness.supervisor.status()).toMatchObject({ state: 'running', restarts: 1 });
    expect(harness.launches).toBe(2);
    expect((await harness.gatewayChildren()).length).toBe(1);
  });

  it('a restart asked for while starting is deferred, not lost', async () => {
    harness = await createHarness({ env: { PINCER_REFGW_START_DELAY_MS: '600' } });
    const starting = harness.supervisor.start();
    await harness.waitForState('starting');
    void harness.supervisor.restart();
    await starting;
    await waitFor(() => {
      const status = harness!.supervisor.status();
      return status.state === 'running' && status.restarts === 1 ? status : undefined;
    }, { what: 'the deferred restart to complete' });
    expect(harness.launches).toBe(2);
    expect((await harness.gatewayChildren()).length).toBe(1);
  });

  it('stop during start → stopped, no child left, and the stale start does not resurrect it', async () => {
    harness = await createHarness({ env: { PINCER_REFGW_START_DELAY_MS: '800' } });
    const starting = harness.supervisor.start();
    await waitFor(() => harness!.supervisor.status().phase === 'waiting-ready', { what: 'waiting-ready' });
    const pid = harness.supervisor.status().pid!;
    await harness.supervisor.stop();
    await starting;
    expect(harness.supervisor.status().state).toBe('stopped');
    expect(isAlive(pid)).toBe(false);
    expect(await harness.gatewayChildren()).toEqual([]);
  });

  it('start during stop → ends running with exactly one gateway', async () => {
    harness = await createHarness();
    await harness.supervisor.start();
    const first = harness.supervisor.status().pid!;
    const stopping = harness.supervisor.stop();
    const starting = harness.supervisor.start();
    await Promise.all([stopping, starting]);
    const status = await harness.waitForState('running');
    expect(status.pid).not.toBe(first);
    expect(isAlive(first)).toBe(false);
    expect(await harness.gatewayChildren()).toEqual([status.pid]);
  });

  it('interleaved start/stop/restart bursts converge to one consistent state', async () => {
    harness = await createHarness();
    const { supervisor } = harness;
    const intents = [] as Promise<void>[];
    for (let i = 0; i < 20; i++) {
      intents.push([supervisor.start(), supervisor.restart(), supervisor.stop()][i % 3]!);
    }
    intents.push(supervisor.start());
    await Promise.all(intents);
    const status = await harness.waitForState('running');
    expect(await harness.gatewayChildren()).toEqual([status.pid]);
  });
});
