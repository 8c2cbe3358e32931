// Start, readiness, stop and in-process restart of the real reference gateway process.
import fs from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readHelloOk, readShutdown, startupRetryAfterMs, type EventFrame } from '../../electron/core/protocol';
import { freePort } from '../helpers/ports';
import { startReferenceGateway, stopAllReferenceGateways } from '../helpers/reference-gateway';
import { waitFor } from '../helpers/wait';
import { closeAllClients, openClient } from './client';

const TOKEN = 'lifecycle-test-token-93ad';

afterEach(async () => {
  closeAllClients();
  await stopAllReferenceGateways();
});

async function httpGet(port: number, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: await response.json() };
}

/** True when nothing listens on the port (connection refused). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

function isShutdown(frame: { type: string }): frame is EventFrame {
  return frame.type === 'event' && (frame as EventFrame).event === 'shutdown';
}

describe('HTTP probes', () => {
  it('/healthz and /health are live, /readyz ready, unknown paths 404, other methods 405', async () => {
    const port = await freePort();
    await startReferenceGateway({ port, token: TOKEN, waitFor: 'ready' });
    expect(await httpGet(port, '/healthz')).toEqual({ status: 200, body: { ok: true, status: 'live' } });
    expect(await httpGet(port, '/health')).toEqual({ status: 200, body: { ok: true, status: 'live' } });
    expect(await httpGet(port, '/readyz')).toEqual({ status: 200, body: { ready: true } });
    expect((await httpGet(port, '/nope')).status).toBe(404);
    const post = await fetch(`http://127.0.0.1:${port}/healthz`, { method: 'POST' });
    expect(post.status).toBe(405);
  });
});

describe('slow start (PINCER_REFGW_START_DELAY_MS)', () => {
  it('is live but not ready, refuses connect with UNAVAILABLE + 1013, then accepts once ready', async () => {
    const port = await freePort();
    const gateway = await startReferenceGateway({ port, token: TOKEN, env: { PINCER_REFGW_START_DELAY_MS: '4000' } });
    expect(await httpGet(port, '/healthz')).toEqual({ status: 200, body: { ok: true, status: 'live' } });
    expect(await httpGet(port, '/readyz')).toEqual({ status: 503, body: { ready: false, failing: ['startup-sidecars'] } });

    const early = await openClient(port, { token: TOKEN });
    const response = await early.connect();
    expect(response).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', retryable: true, retryAfterMs: 500, details: { reason: 'startup-sidecars' } },
    });
    expect(startupRetryAfterMs(response.error!)).toBe(500);
    expect(await early.closed).toEqual({ code: 1013, reason: 'gateway starting' });

    await gateway.waitForStdout(/\[gateway\] ready/);
    expect((await httpGet(port, '/readyz')).status).toBe(200);
    const late = await openClient(port, { token: TOKEN });
    expect((await late.connect()).ok).toBe(true);
  });
});

describe('listen delay (PINCER_REFGW_LISTEN_DELAY_MS)', () => {
  it('keeps the port closed until the delay has passed', async () => {
    const port = await freePort();
    const gateway = await startReferenceGateway({ port, token: TOKEN, env: { PINCER_REFGW_LISTEN_DELAY_MS: '2500' }, waitFor: 'spawn' });
    await gateway.waitForStdout(/pincer reference gateway 0\.1\.0/);
    expect(await refused(port)).toBe(true);
    await gateway.waitForStdout(/listening on 127\.0\.0\.1:\d+/);
    expect(await refused(port)).toBe(false);
  });
});

describe('SIGTERM', () => {
  it('sends shutdown to clients, closes them 1012, frees the port and exits 0 quickly', async () => {
    const port = await freePort();
    const gateway = await startReferenceGateway({ port, token: TOKEN });
    const connected = await openClient(port, { token: TOKEN });
    expect((await connected.connect()).ok).toBe(true);
    const unauthenticated = await openClient(port, { token: TOKEN });

    const started = Date.now();
    gateway.proc.kill('SIGTERM');
    const shutdown = await connected.waitForFrame(isShutdown, 'shutdown event');
    expect(readShutdown(shutdown as EventFrame)).toEqual({ reason: 'SIGTERM' });
    expect(await connected.closed).toEqual({ code: 1012, reason: 'service restart' });
    expect((await unauthenticated.closed).code).toBe(1012);
    expect(unauthenticated.raw.some((text) => text.includes('"shutdown"'))).toBe(false);
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(gateway.stdout()).toMatch(/shutting down \(SIGTERM\)[\s\S]*stopped/);
    expect(await refused(port)).toBe(true);
  });

  it('still exits 0 within its bound when a client never answers the close', async () => {
    const port = await freePort();
    const gateway = await startReferenceGateway({ port, token: TOKEN });
    // A raw socket that completes the WebSocket upgrade and then never answers anything.
    const mute = net.connect({ port, host: '127.0.0.1' });
    let received = '';
    mute.on('data', (chunk) => (received += chunk.toString('latin1')));
    mute.on('error', () => {});
    mute.write(
      'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    await waitFor(() => received.includes('connect.challenge'), { what: 'challenge on the raw socket' });
    const muteClosed = new Promise<void>((resolve) => mute.once('close', () => resolve()));

    const started = Date.now();
    gateway.proc.kill('SIGTERM');
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    const elapsed = Date.now() - started;
    // 1 s close grace, then terminate(): well under the 5 s safety net.
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(4000);
    await muteClosed;
  });

  it('SIGINT stops it the same way', async () => {
    const port = await freePort();
    const gateway = await startReferenceGateway({ port, token: TOKEN });
    gateway.proc.kill('SIGINT');
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
  });
});

describe('SIGUSR2 in-process restart', () => {
  it('announces the restart, closes 1012, comes back on the same port with the same pid and a new bootId', async () => {
    const port = await freePort();
    const gateway = await startReferenceGateway({ port, token: TOKEN, env: { PINCER_REFGW_RESTART_GAP_MS: '1000' } });
    const before = await openClient(port, { token: TOKEN });
    const firstBoot = readHelloOk((await before.connect()).payload)!.server.bootId;

    gateway.proc.kill('SIGUSR2');
    const shutdown = await before.waitForFrame(isShutdown, 'shutdown event');
    expect(readShutdown(shutdown as EventFrame)).toEqual({ reason: 'restart', restartExpectedMs: 1000 });
    expect(await before.closed).toEqual({ code: 1012, reason: 'service restart' });
    expect(await refused(port)).toBe(true);

    await waitFor(() => gateway.stdout().match(/listening on/g)?.length === 2, { what: 'second listening line' });
    const after = await openClient(port, { token: TOKEN });
    const hello = readHelloOk((await after.connect()).payload)!;
    expect(hello.server.bootId).not.toBe(firstBoot);
    expect((await after.request('status')).payload).toMatchObject({ pid: gateway.pid, bootId: hello.server.bootId });
    expect(gateway.proc.exitCode).toBeNull();
  });

  it('a restart re-applies the start delay', async () => {
    const port = await freePort();
    const gateway = await startReferenceGateway({
      port,
      token: TOKEN,
      env: { PINCER_REFGW_RESTART_GAP_MS: '100', PINCER_REFGW_START_DELAY_MS: '3000' },
      waitFor: 'ready',
    });
    gateway.proc.kill('SIGUSR2');
    await waitFor(() => gateway.stdout().match(/listening on/g)?.length === 2, { what: 'second listening line' });
    expect((await httpGet(port, '/readyz')).status).toBe(503);
    await waitFor(() => gateway.stdout().match(/\[gateway\] ready/g)?.length === 2, { what: 'second ready line' });
    expect((await httpGet(port, '/readyz')).status).toBe(200);
  });

  it('SIGTERM during the restart gap still ends in exit 0', async () => {
    const port = await freePort();
    const gateway = await startReferenceGateway({ port, token: TOKEN, env: { PINCER_REFGW_RESTART_GAP_MS: '1000' } });
    gateway.proc.kill('SIGUSR2');
    await gateway.waitForStdout(/restarting/);
    gateway.proc.kill('SIGTERM');
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    expect(gateway.stdout().match(/listening on/g)).toHaveLength(1);
  });
});

describe('secrets', () => {
  it('the token is in neither argv nor output', async () => {
    const port = await freePort();
    const gateway = await startReferenceGateway({ port, token: TOKEN });
    const client = await openClient(port, { token: TOKEN });
    expect((await client.connect()).ok).toBe(true);
    const wrong = await openClient(port, { token: 'wrong' });
    await wrong.connect();
    const cmdline = fs.readFileSync(`/proc/${gateway.pid}/cmdline`, 'utf8');
    expect(cmdline).toContain('--port');
    expect(cmdline).not.toContain(TOKEN);
    await gateway.stop();
    expect(gateway.stdout() + gateway.stderr()).not.toContain(TOKEN);
  });
});
