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
    await waitFor(
      () => {
        const status = harness!.supervisor.status();
        return status.state === 'running' && status.pid !== before ? status : undefined;
      },
      { what: 'the one restart' },
    );
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

  it('a restart asked for right after a user restart completed joins it; after a settings restart it is its own', async () => {
    // Without the door a restart ends when its generation runs (blue/green ends when the old one is
    // gone, and a request until then joins it): "completed" is then visible in the status.
    harness = await createHarness({ settings: { frontDoor: false } });
    const { supervisor } = harness;
    await supervisor.start();
    await supervisor.restart();
    const restarted = supervisor.status();
    // Sent before the caller could have seen the first one: part of the same burst.
    await supervisor.restart();
    expect(supervisor.status()).toMatchObject({ state: 'running', pid: restarted.pid, restarts: 1 });

    supervisor.debouncedRestart(10);
    const afterSettings = await waitFor(
      () => {
        const status = supervisor.status();
        return status.state === 'running' && status.restarts === 2 ? status : undefined;
      },
      { what: 'the settings restart' },
    );
    // Nobody asked for that one: a user restart right after it is carried out.
    await supervisor.restart();
    const last = supervisor.status();
    expect(last).toMatchObject({ state: 'running', restarts: 3 });
    expect(last.pid).not.toBe(afterSettings.pid);
    expect(harness.launches).toBe(4);
  });

  it('a restart asked for while starting is deferred, not lost', async () => {
    harness = await createHarness({ env: { PINCER_REFGW_START_DELAY_MS: '600' } });
    const starting = harness.supervisor.start();
    await harness.waitForState('starting');
    void harness.supervisor.restart();
    await starting;
    await waitFor(
      () => {
        const status = harness!.supervisor.status();
        return status.state === 'running' && status.restarts === 1 ? status : undefined;
      },
      { what: 'the deferred restart to complete' },
    );
    expect(harness.launches).toBe(2);
    // Blue/green: the generation it replaced is stopped right after the switch.
    await waitFor(async () => (await harness!.gatewayChildren()).length === 1, { what: 'one gateway left' });
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
