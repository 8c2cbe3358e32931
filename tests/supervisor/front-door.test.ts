// The supervisor with the front door (the default): Pincer owns the public port, each gateway
// generation runs on an internal port, restarts are blue/green, and clients are never refused.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { findPortOwner } from '../../electron/core/port/owner';
import { isAlive } from '../../electron/core/process/tree';
import { Hammer } from '../../scripts/chaos/hammer';
import { createHarness, type Harness } from '../helpers/supervisor-harness';
import { waitFor } from '../helpers/wait';

describe('supervisor behind the front door', () => {
  let harness: Harness | undefined;
  let hammer: Hammer | undefined;
  afterEach(async () => {
    await hammer?.stop();
    await harness?.dispose();
    harness = hammer = undefined;
  });

  const startHammer = (port: number) => {
    hammer = new Hammer({ port, intervalMs: 5 });
    hammer.start();
    return hammer;
  };

  it('owns the public port; the gateway listens on an internal one', async () => {
    harness = await createHarness();
    await harness.supervisor.start();
    const status = harness.supervisor.status();
    expect(status.frontDoor).toMatchObject({ enabled: true, listenPort: harness.port });
    expect(status.frontDoor!.internalPort).not.toBe(harness.port);
    expect((await findPortOwner(harness.port))?.pid).toBe(process.pid);
    expect((await findPortOwner(status.frontDoor!.internalPort!))?.pid).toBe(status.pid);
  });

  it('restart is blue/green: a client hammering the public port sees no refusal and no error', async () => {
    // Three restarts back to back, each its own: no joining of one that just completed.
    harness = await createHarness({ timeouts: { restartBurstMs: 0, restartGraceMs: 0 } });
    await harness.supervisor.start();
    const first = harness.supervisor.status();
    // Blue/green: when the next generation takes over, the one it replaces is still alive.
    let oldAliveAtSwitch: boolean | undefined;
    harness.supervisor.onStatus((status) => {
      if (oldAliveAtSwitch === undefined && status.state === 'running' && status.pid !== first.pid) oldAliveAtSwitch = isAlive(first.pid!);
    });
    const client = startHammer(harness.port);
    await waitFor(() => client.snapshot().ok >= 20, { what: 'traffic before the restart' });
    for (let round = 0; round < 3; round++) await harness.supervisor.restart();
    expect(oldAliveAtSwitch).toBe(true);
    expect(harness.supervisor.logs().filter((line) => line.text.includes('reclaiming'))).toEqual([]);
    await waitFor(() => client.snapshot().ok >= 200, { what: 'traffic after the restarts' });
    const report = await client.stop();
    const after = harness.supervisor.status();
    expect(after.state).toBe('running');
    expect(after.pid).not.toBe(first.pid);
    expect(after.frontDoor!.internalPort).not.toBe(first.frontDoor!.internalPort);
    expect(isAlive(first.pid!)).toBe(false);
    expect(report.failures).toEqual([]);
    expect(await harness.gatewayChildren()).toEqual([after.pid]);
  });

  it('kill -9 of the gateway: new connections wait at the door for the next generation, none refused', async () => {
    harness = await createHarness();
    await harness.supervisor.start();
    const first = harness.supervisor.status().pid!;
    const client = startHammer(harness.port);
    await waitFor(() => client.snapshot().ok >= 20, { what: 'traffic before the kill' });
    process.kill(first, 'SIGKILL');
    await waitFor(
      () => {
        const status = harness!.supervisor.status();
        return status.state === 'running' && status.pid !== first;
      },
      { what: 'recovery' },
    );
    const okAtRecovery = client.snapshot().ok;
    await waitFor(() => client.snapshot().ok >= okAtRecovery + 20, { what: 'traffic after the recovery' });
    const report = await client.stop();
    expect(report.byOutcome.refused).toBe(0);
    // Connections in flight to the killed process are cut; that is the only allowed failure.
    expect(report.failures.every((failure) => failure.outcome === 'reset')).toBe(true);
  });

  it("the gateway's own in-process restart (SIGUSR2) closes its port, not the public one", async () => {
    harness = await createHarness({ env: { PINCER_REFGW_RESTART_GAP_MS: '600' } });
    await harness.supervisor.start();
    const { pid, gateway } = harness.supervisor.status();
    const client = startHammer(harness.port);
    await waitFor(() => client.snapshot().ok >= 20, { what: 'traffic before SIGUSR2' });
    process.kill(pid!, 'SIGUSR2');
    await waitFor(
      () => {
        const status = harness!.supervisor.status();
        return status.state === 'running' && status.gateway.bootId !== gateway.bootId ? status : undefined;
      },
      { what: 'the new bootId' },
    );
    const okAfter = client.snapshot().ok;
    await waitFor(() => client.snapshot().ok >= okAfter + 20, { what: 'traffic after the in-process restart' });
    const report = await client.stop();
    expect(report.byOutcome.refused).toBe(0);
    expect(report.longestWaitMs).toBeGreaterThan(100); // they were held, then served
    const status = harness.supervisor.status();
    expect(status.pid).toBe(pid);
    expect(status.bootIdChanges).toBe(1);
  });

  it('refuses a browser from a foreign origin with 403 and counts it; loopback origins pass', async () => {
    harness = await createHarness();
    await harness.supervisor.start();
    const open = (origin: string) =>
      new Promise<number | 'open'>((resolve) => {
        const socket = new WebSocket(`ws://127.0.0.1:${harness!.port}/`, { origin });
        socket.once('open', () => {
          socket.terminate();
          resolve('open');
        });
        socket.once('unexpected-response', (_request, response) => {
          resolve(response.statusCode ?? 0);
          socket.terminate();
        });
        socket.once('error', () => undefined);
      });
    expect(await open('https://evil.example')).toBe(403);
    expect(await open(`http://localhost:${harness.port}`)).toBe('open');
    harness.supervisor.refreshFrontDoor();
    expect(harness.supervisor.status().frontDoor?.refusedOrigins).toBe(1);
  });

  it('with the front door off, the gateway itself listens on the public port', async () => {
    harness = await createHarness({ settings: { frontDoor: false } });
    await harness.supervisor.start();
    const status = harness.supervisor.status();
    expect(status.frontDoor).toBeUndefined();
    expect((await findPortOwner(harness.port))?.pid).toBe(status.pid);
  });
});
