// Zero-refusal restarts against the real reference gateway: blue/green generations behind the front
// door and the gateway's own in-process restart (SIGUSR2 closes its port for the restart gap), with
// a client hammering the public port with HTTP GETs and WebSocket connects throughout.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, afterEach, expect, it } from 'vitest';
import { connectGateway } from '../../electron/core/connection';
import { freePort } from '../helpers/ports';
import { startReferenceGateway, stopAllReferenceGateways, type ReferenceGatewayProcess } from '../helpers/reference-gateway';
import { waitFor } from '../helpers/wait';
import { closeAllDoors, httpGet, openDoor, type HttpOutcome } from './helpers';

const TOKEN = 'front-door-restart-token';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-frontdoor-'));

afterEach(async () => {
  await closeAllDoors();
  await stopAllReferenceGateways();
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

interface HammerReport {
  http: HttpOutcome[];
  /** 'challenge' when the gateway's first frame arrived; otherwise what went wrong. */
  ws: string[];
}

/** A WebSocket connect counts when the gateway's connect.challenge arrives. */
function wsConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
    const done = (outcome: string) => {
      resolve(outcome);
      ws.terminate();
    };
    ws.once('message', (data: WebSocket.RawData) =>
      done(String(data).includes('connect.challenge') ? 'challenge' : `unexpected frame ${String(data).slice(0, 80)}`),
    );
    ws.once('unexpected-response', (_request, response) => done(`HTTP ${response.statusCode}`));
    ws.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    // A session the old generation closes (1012) before its challenge arrived is a reconnect, not a refusal.
    ws.once('close', (code) => done(`closed ${code}`));
  });
}

/** Hammers `port` (HTTP GET every 2 ms, a WebSocket connect every 10 ms) until `during` settles. */
async function hammer(port: number, during: () => Promise<void>): Promise<HammerReport> {
  const http: Array<Promise<HttpOutcome>> = [];
  const ws: Array<Promise<string>> = [];
  let ticks = 0;
  const timer = setInterval(() => {
    http.push(httpGet(port, '/healthz'));
    if (ticks++ % 5 === 0) ws.push(wsConnect(port));
  }, 2);
  try {
    await during();
  } finally {
    clearInterval(timer);
  }
  return { http: await Promise.all(http), ws: await Promise.all(ws) };
}

function summarize(report: HammerReport, acceptedWsOutcomes: string[] = []) {
  const refused =
    report.http.filter((outcome) => 'error' in outcome && outcome.error === 'ECONNREFUSED').length +
    report.ws.filter((outcome) => outcome === 'ECONNREFUSED').length;
  const httpErrors = report.http.filter((outcome) => !('status' in outcome) || outcome.status !== 200);
  const wsErrors = report.ws.filter(
    (outcome) => outcome !== 'challenge' && !outcome.startsWith('closed 1012') && !acceptedWsOutcomes.includes(outcome),
  );
  const longestMs = Math.max(...report.http.map((outcome) => outcome.ms));
  return { refused, httpErrors, wsErrors, longestMs, answered: report.http.length - httpErrors.length };
}

const listeningLines = (gateway: ReferenceGatewayProcess) => gateway.stdout().match(/listening on/g)?.length ?? 0;

it('blue/green: start the next generation, switch, stop the old — no refused connection, no error', { timeout: 120_000 }, async () => {
  const door = await openDoor();
  let current = await startReferenceGateway({ port: await freePort(), token: TOKEN, waitFor: 'ready' });
  let currentPort = Number(current.stdout().match(/listening on 127\.0\.0\.1:(\d+)/)![1]);
  door.setTarget(currentPort);
  const ports = [currentPort];

  const report = await hammer(door.port, async () => {
    for (let switchNo = 0; switchNo < 3; switchNo++) {
      await waitFor(() => door.status().pipedTotal > 20 * (switchNo + 1), { what: 'traffic on the current generation' });
      const port = await freePort();
      const next = await startReferenceGateway({ port, token: TOKEN, waitFor: 'ready' });
      const previous = currentPort;
      door.setTarget(port);
      // The supervisor stops the old generation after the switch, once nothing is mid-way to it.
      expect(await door.drained(previous, 2_000)).toBe(true);
      await current.stop();
      current = next;
      currentPort = port;
      ports.push(port);
    }
    await waitFor(() => door.status().pipedTotal > 100, { what: 'traffic on the last generation' });
  });

  const summary = summarize(report);
  console.log(`blue/green ×3: ${report.http.length} GETs, ${report.ws.length} WebSocket connects, longest wait ${Math.round(summary.longestMs)} ms`);
  expect(summary.refused).toBe(0);
  expect(summary.httpErrors).toEqual([]);
  expect(summary.wsErrors).toEqual([]);
  expect(summary.answered).toBeGreaterThan(100);
  expect(door.status()).toMatchObject({ internalPort: currentPort, heldExpired: 0, heldRejected: 0 });
  expect(new Set(ports).size).toBe(4);
});

it('the gateway restarting in-process (SIGUSR2 closes its port) refuses nobody through the front door', { timeout: 120_000 }, async () => {
  const gapMs = 500;
  const internal = await freePort();
  const gateway = await startReferenceGateway({ port: internal, token: TOKEN, env: { PINCER_REFGW_RESTART_GAP_MS: String(gapMs) } });
  // ~600 new connections a second through a ~0.5 s gap, plus the burst on release, in this one
  // process: more than the default bound of 512 waiting connections (tested on its own elsewhere).
  const door = await openDoor({ maxHeld: 4_096 });
  door.setTarget(internal);

  const gaps: number[] = [];
  const report = await hammer(door.port, async () => {
    for (let restart = 0; restart < 2; restart++) {
      const before = listeningLines(gateway);
      const signalled = performance.now();
      process.kill(gateway.pid, 'SIGUSR2');
      await waitFor(() => listeningLines(gateway) > before, { intervalMs: 2, what: 'the gateway listening again' });
      gaps.push(Math.round(performance.now() - signalled));
      await waitFor(() => door.status().heldConnections === 0 && door.status().pipedTotal > 0, { what: 'held connections released' });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  });

  // An upgrade that reached the gateway just as it began restarting is answered 503 by the gateway
  // itself (an HTTP answer, not a refusal); the client retries like after any 1012.
  const summary = summarize(report, ['HTTP 503']);
  console.log(
    `in-process restart ×2 (gap ${gapMs} ms, port closed ${gaps.join(', ')} ms): ${report.http.length} GETs, longest wait ${Math.round(summary.longestMs)} ms, door ${JSON.stringify(door.status())}`,
  );
  expect(summary.refused).toBe(0);
  expect(summary.httpErrors).toEqual([]);
  expect(summary.wsErrors).toEqual([]);
  expect(summary.longestMs).toBeGreaterThanOrEqual(gapMs * 0.5); // someone really waited through a gap
  expect(door.status().heldTotal).toBeGreaterThan(0);
  expect(door.status()).toMatchObject({ heldExpired: 0, heldRejected: 0 });

  // For contrast, the same restart seen directly: refused.
  const before = listeningLines(gateway);
  const direct = await hammer(internal, async () => {
    process.kill(gateway.pid, 'SIGUSR2');
    await waitFor(() => listeningLines(gateway) > before, { what: 'the gateway listening again' });
  });
  expect(summarize(direct).refused).toBeGreaterThan(0);
});

it('the supervisor can hold() across an in-process restart and release with setTarget() once the gateway is ready', { timeout: 60_000 }, async () => {
  const internal = await freePort();
  const gateway = await startReferenceGateway({ port: internal, token: TOKEN, env: { PINCER_REFGW_RESTART_GAP_MS: '300' } });
  const door = await openDoor();
  door.setTarget(internal);
  const before = listeningLines(gateway);
  door.hold(); // e.g. on the gateway's `shutdown` event with restartExpectedMs
  process.kill(gateway.pid, 'SIGUSR2');
  const during = httpGet(door.port, '/healthz');
  await waitFor(() => listeningLines(gateway) > before, { what: 'the gateway listening again' });
  expect(door.status().heldConnections).toBe(1);
  door.setTarget(internal);
  expect(await during).toMatchObject({ status: 200 });
  expect(door.logs.some((line) => line.message.includes('refused a connect'))).toBe(false); // never tried while held
});

it("Pincer's own control connection handshakes and calls through the front door, byte for byte", async () => {
  const internal = await freePort();
  await startReferenceGateway({ port: internal, token: TOKEN });
  const door = await openDoor();
  door.setTarget(internal);
  const connection = await connectGateway({
    port: door.port,
    token: TOKEN,
    dataDir,
    heartbeatMs: 5_000,
    handshakeTimeoutMs: 10_000,
    clientVersion: 'frontdoor-test',
    log: () => {},
  });
  await expect(connection.request('health')).resolves.toMatchObject({ ok: true });
  expect(door.status().pipedConnections).toBe(1);
  await connection.close();
  await waitFor(() => door.status().pipedConnections === 0, { what: 'pair closed' });
});
