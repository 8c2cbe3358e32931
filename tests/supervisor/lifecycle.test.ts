import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, listDescendants } from '../../electron/core/process/tree';
import { createHarness, TEST_TOKEN, type Harness } from '../helpers/supervisor-harness';
import { waitFor } from '../helpers/wait';

describe('supervisor lifecycle with the real reference gateway', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
  });

  it('start → running with pid, phases and hello facts; stop → stopped with the process gone', async () => {
    harness = await createHarness();
    const { supervisor } = harness;
    await supervisor.start();
    const status = supervisor.status();
    expect(status).toMatchObject({ state: 'running', port: harness.port, attached: false, restarts: 0 });
    expect(status.pid).toBeGreaterThan(0);
    expect(isAlive(status.pid!)).toBe(true);
    expect(status.gateway.kind).toBe('reference');
    expect(status.gateway.bootId).toBeTruthy();
    expect(Object.keys(status.phaseTimings).sort()).toEqual(['connecting', 'probing-port', 'spawning', 'waiting-ready']);
    const phases = harness.history.filter((s) => s.state === 'starting').map((s) => s.phase);
    expect([...new Set(phases)]).toEqual(['probing-port', 'spawning', 'waiting-ready', 'connecting']);
    await expect(supervisor.request('health')).resolves.toBeTruthy();

    await supervisor.stop();
    expect(supervisor.status().state).toBe('stopped');
    await waitFor(() => !isAlive(status.pid!), { what: 'gateway gone' });
    expect(await harness.gatewayChildren()).toEqual([]);
  });

  it('restart → new pid, restarts +1, and the old process is gone', async () => {
    harness = await createHarness();
    await harness.supervisor.start();
    const before = harness.supervisor.status().pid!;
    await harness.supervisor.restart();
    const after = harness.supervisor.status();
    expect(after.state).toBe('running');
    expect(after.pid).not.toBe(before);
    expect(after.restarts).toBe(1);
    expect(isAlive(before)).toBe(false);
    expect(await harness.gatewayChildren()).toEqual([after.pid]);
  });

  it('stop kills the whole tree (the gateway and its worker), no orphans', async () => {
    harness = await createHarness({ env: { PINCER_REFGW_SPAWN_WORKER: '1' } });
    await harness.supervisor.start();
    const pid = harness.supervisor.status().pid!;
    const tree = await waitFor(
      async () => {
        const children = await listDescendants(pid);
        return children.length > 0 ? children : undefined;
      },
      { what: 'the worker child' },
    );
    await harness.supervisor.stop();
    for (const member of [pid, ...tree]) expect(isAlive(member)).toBe(false);
  });

  it('the gateway token is in no child argv, only in its environment', async () => {
    harness = await createHarness({ env: { PINCER_REFGW_SPAWN_WORKER: '1' } });
    await harness.supervisor.start();
    const pid = harness.supervisor.status().pid!;
    const members = [pid, ...(await waitFor(async () => ((await listDescendants(pid)).length ? listDescendants(pid) : undefined)))];
    for (const member of members) {
      const cmdline = fs.readFileSync(`/proc/${member}/cmdline`, 'utf8');
      expect(cmdline).not.toContain(TEST_TOKEN);
    }
    expect(fs.readFileSync(`/proc/${pid}/environ`, 'utf8')).toContain(`OPENCLAW_GATEWAY_TOKEN=${TEST_TOKEN}`);
    // …and it never shows up in what the status or the log tail publish.
    expect(JSON.stringify(harness.supervisor.status())).not.toContain(TEST_TOKEN);
    expect(JSON.stringify(harness.supervisor.logs())).not.toContain(TEST_TOKEN);
  });

  it('request() while not running fails fast with GatewayUnavailableError', async () => {
    harness = await createHarness();
    await expect(harness.supervisor.request('health')).rejects.toMatchObject({ name: 'GatewayUnavailableError' });
  });
});
