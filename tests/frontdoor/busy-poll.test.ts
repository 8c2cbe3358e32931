// Busy-polling after dense traffic, through a real front door with real WebSocket traffic: what it
// costs (status().busyPollingMs) is bounded the way hot-loop.ts promises.
import { afterEach, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { closeAllDoors, closeWs, echo, openDoor, startUpstream, wsOpen, type TestDoor, type Upstream } from './helpers';
import { waitFor } from '../helpers/wait';

const upstreams: Upstream[] = [];
const clients: WebSocket[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map(closeWs));
  await closeAllDoors();
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

async function doorToEcho(busyPollUs?: number): Promise<TestDoor> {
  const upstream = await startUpstream();
  upstreams.push(upstream);
  const door = await openDoor(busyPollUs === undefined ? {} : { busyPollUs });
  door.setTarget(upstream.port);
  return door;
}

async function client(door: TestDoor): Promise<WebSocket> {
  const outcome = await wsOpen(door.port);
  if (!outcome.open) throw new Error(`no WebSocket through the door: ${JSON.stringify(outcome)}`);
  clients.push(outcome.ws);
  return outcome.ws;
}

const polled = (door: TestDoor) => door.status().busyPollingMs;

/** Waits until polling has stopped: two readings 20 ms apart agree. */
async function pollingStopped(door: TestDoor): Promise<number> {
  let last = -1;
  await waitFor(
    () => {
      const now = polled(door);
      const stopped = now === last;
      last = now;
      return stopped;
    },
    { intervalMs: 20, what: 'busy-polling to stop' },
  );
  return last;
}

it('back-to-back small exchanges keep the loop polling, and it stops soon after they end', async () => {
  const door = await doorToEcho();
  const ws = await client(door);
  for (let i = 0; i < 300; i++) expect(await echo(ws, `ping ${i}`)).toBe(`ping ${i}`);
  const total = await pollingStopped(door);
  expect(total).toBeGreaterThan(0);
  // Nothing after the traffic: the loop sleeps again.
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(polled(door)).toBe(total);
});

it('busyPollUs 0 never polls', async () => {
  const door = await doorToEcho(0);
  const ws = await client(door);
  for (let i = 0; i < 300; i++) await echo(ws, `ping ${i}`);
  expect(polled(door)).toBe(0);
});

it('idle connections never poll, and spaced-out exchanges cost at most about one window each', async () => {
  const door = await doorToEcho(200);
  const sockets = await Promise.all([client(door), client(door), client(door)]);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(polled(door)).toBe(0);
  for (let i = 0; i < 20; i++) {
    await echo(sockets[i % 3]!, `slow ${i}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  // 20 windows of 0.2 ms, plus at most one loop turn each past the deadline.
  expect(await pollingStopped(door)).toBeLessThan(20 * 2);
});

it('a bulk transfer (64 KiB messages) does not poll', async () => {
  const door = await doorToEcho();
  const ws = await client(door);
  const big = Buffer.alloc(65536, 7);
  const started = performance.now();
  for (let i = 0; i < 100; i++) await new Promise((resolve) => { ws.once('message', resolve); ws.send(big); });
  const elapsed = performance.now() - started;
  // Small chunks only poll when two of them meet within the window; a polling door would poll ~all along.
  expect(await pollingStopped(door)).toBeLessThan(elapsed * 0.1);
});
