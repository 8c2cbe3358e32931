// The control connection against the real reference gateway: real processes, sockets and signals.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ConnectError,
  GatewayConnectionClosedError,
  GatewayRequestTimeoutError,
  GatewayRestartingError,
  connectGateway,
  type ConnectOptions,
  type ConnectionLoss,
  type ControlConnection,
} from '../../electron/core/connection';
import { DEVICE_TOKEN_FILE, IDENTITY_FILE } from '../../electron/core/connection/identity';
import { freePort } from '../helpers/ports';
import { startReferenceGateway, stopAllReferenceGateways, type ReferenceGatewayProcess } from '../helpers/reference-gateway';
import { waitFor } from '../helpers/wait';
import { ourSockets } from '../helpers/resources';

const TOKEN = 'connection-test-token';
// Hang detection fires only where a test is about it: the others freeze or busy the gateway for
// other reasons (SIGSTOP before a signal, a 25 MiB frame to build), which on a loaded machine can
// outlast a short heartbeat and turn the loss they test into a hang.
const QUIET_HEARTBEAT_MS = 60_000;
const HANG_HEARTBEAT_MS = 1_000;

interface LogLine {
  level: string;
  message: string;
}

let dataDir: string;
let logs: LogLine[];
const connections: ControlConnection[] = [];

function options(port: number, overrides: Partial<ConnectOptions> = {}): ConnectOptions {
  return {
    port,
    token: TOKEN,
    dataDir,
    heartbeatMs: QUIET_HEARTBEAT_MS,
    handshakeTimeoutMs: 3_000,
    clientVersion: '0.1.0-test',
    log: (level, message) => logs.push({ level, message }),
    ...overrides,
  };
}

async function connect(port: number, overrides: Partial<ConnectOptions> = {}): Promise<ControlConnection> {
  const connection = await connectGateway(options(port, overrides));
  connections.push(connection);
  return connection;
}

function lostPromise(connection: ControlConnection): Promise<ConnectionLoss> {
  return new Promise((resolve) => connection.onLost(resolve));
}

async function connectFailure(port: number, overrides: Partial<ConnectOptions> = {}): Promise<ConnectError> {
  const error = await connectGateway(options(port, overrides)).then(
    (connection) => {
      connections.push(connection);
      throw new Error('connected, but a refusal was expected');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectError);
  return error as ConnectError;
}

async function gateway(env: Record<string, string> = {}): Promise<{ port: number; gw: ReferenceGatewayProcess }> {
  const port = await freePort();
  const gw = await startReferenceGateway({ port, token: TOKEN, env });
  return { port, gw };
}

function signal(gw: ReferenceGatewayProcess, name: NodeJS.Signals): void {
  process.kill(gw.pid, name);
}

/** Ends after the gateway process has really stopped (a stopped process keeps its sockets). */
async function waitUntilStopped(pid: number): Promise<void> {
  await waitFor(() => /^\S+ \(.*\) T /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')), { what: `pid ${pid} stopped` });
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-conn-'));
  logs = [];
});

afterEach(async () => {
  await Promise.all(connections.splice(0).map((c) => c.close()));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

afterAll(async () => {
  await stopAllReferenceGateways();
});

describe('handshake against the reference gateway', () => {
  let port: number;
  let gw: ReferenceGatewayProcess;
  beforeAll(async () => {
    ({ port, gw } = await gateway());
  });

  it('connects, reports hello-ok facts, answers health and status', async () => {
    const connection = await connect(port);
    const bootId = (await gw.waitForStdout(/bootId (\S+)\)/))[1];
    expect(connection.hello).toMatchObject({ bootId, maxPayload: 25 * 1024 * 1024, tickIntervalMs: 15_000 });
    expect(connection.hello.serverVersion).toMatch(/\d+\.\d+/);
    expect(gw.stdout()).toContain(connection.hello.serverVersion);
    expect(connection.hello.connId).not.toBe('');
    await expect(connection.request('health')).resolves.toMatchObject({ ok: true, bootId });
    await expect(connection.request('status')).resolves.toMatchObject({ pid: gw.pid, bootId, connections: 1 });
  });

  it('keeps one identity (0600) and reuses the device token (0600) on the next connect', async () => {
    const first = await connect(port);
    const identityFile = path.join(dataDir, IDENTITY_FILE);
    const tokenFile = path.join(dataDir, DEVICE_TOKEN_FILE);
    expect(fs.statSync(identityFile).mode & 0o777).toBe(0o600);
    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
    const identity = fs.readFileSync(identityFile, 'utf8');
    const deviceToken = fs.readFileSync(tokenFile, 'utf8');
    expect(deviceToken.length).toBeGreaterThan(20);
    await first.close();

    // A wrong shared token still connects: the stored device token is what authenticates now.
    const second = await connect(port, { token: 'not-the-shared-token' });
    await expect(second.request('health')).resolves.toMatchObject({ ok: true });
    expect(fs.readFileSync(identityFile, 'utf8')).toBe(identity);
    // The gateway issues one token per device id: the same token back means the same device.
    expect(fs.readFileSync(tokenFile, 'utf8')).toBe(deviceToken);
    expect(logs.map((l) => l.message).join('\n')).not.toContain(deviceToken);
  });

  it('falls back to the shared token once when the stored device token is refused', async () => {
    fs.writeFileSync(path.join(dataDir, DEVICE_TOKEN_FILE), 'stale-device-token', { mode: 0o600 });
    const connection = await connect(port);
    await expect(connection.request('health')).resolves.toMatchObject({ ok: true });
    const stored = fs.readFileSync(path.join(dataDir, DEVICE_TOKEN_FILE), 'utf8');
    expect(stored).not.toBe('stale-device-token');
    expect(logs.filter((l) => /refused the stored device token/.test(l.message))).toHaveLength(1);
  });

  it('gives up after one fallback when the shared token is wrong too, and drops the stale device token', async () => {
    fs.writeFileSync(path.join(dataDir, DEVICE_TOKEN_FILE), 'stale-device-token', { mode: 0o600 });
    const error = await connectFailure(port, { token: 'wrong' });
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.details.gatewayCode).toBe('AUTH_TOKEN_MISMATCH');
    expect(fs.existsSync(path.join(dataDir, DEVICE_TOKEN_FILE))).toBe(false);
    expect(logs.filter((l) => /refused the stored device token/.test(l.message))).toHaveLength(1);
  });

  it('a wrong token → AUTH_FAILED, no socket left behind', async () => {
    const error = await connectFailure(port, { token: 'wrong-token' });
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.details.gatewayCode).toBe('AUTH_TOKEN_MISMATCH');
    expect(error.message).toMatch(/token/);
    expect(error.message).not.toContain('wrong-token');
    const mine = await ourSockets([port]);
    expect(mine.ESTABLISHED ?? 0).toBe(0);
  });

  it('nothing listening → CLOSED at once', async () => {
    const started = performance.now();
    const error = await connectFailure(await freePort());
    expect(error.code).toBe('CLOSED');
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('bad options → a clear error before any socket', async () => {
    await expect(connectGateway(options(port, { port: 70_000 }))).rejects.toThrow(/not a TCP port: 70000/);
    await expect(connectGateway(options(port, { token: '' }))).rejects.toThrow(/token must be/);
    await expect(connectGateway(options(port, { heartbeatMs: 0 }))).rejects.toThrow(/heartbeatMs/);
  });
});

describe('handshake refusals', () => {
  it('protocol refusal → PROTOCOL_MISMATCH', async () => {
    const { port } = await gateway({ PINCER_REFGW_REFUSE_HANDSHAKE: 'protocol' });
    const error = await connectFailure(port);
    expect(error.code).toBe('PROTOCOL_MISMATCH');
    expect(error.details.gatewayCode).toBe('PROTOCOL_MISMATCH');
  });

  it('pairing → PAIRING_REQUIRED with the request id', async () => {
    const { port } = await gateway({ PINCER_REFGW_REFUSE_HANDSHAKE: 'pairing' });
    const error = await connectFailure(port);
    expect(error.code).toBe('PAIRING_REQUIRED');
    expect(error.details.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).toContain(error.details.requestId);
  });

  it('slow start → UNAVAILABLE with retryAfterMs; retrying after that delay connects', async () => {
    const { port } = await gateway({ PINCER_REFGW_START_DELAY_MS: '1500' });
    const error = await connectFailure(port);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.details.retryAfterMs).toBe(500);
    let attempts = 1;
    const connection = await waitFor(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, error.details.retryAfterMs));
        attempts++;
        return await connect(port).catch((e: unknown) => {
          if (!(e instanceof ConnectError) || e.code !== 'UNAVAILABLE') throw e;
          return undefined;
        });
      },
      { what: 'the gateway to finish starting' },
    );
    expect(attempts).toBeGreaterThan(1);
    expect(attempts).toBeLessThan(12);
    await expect(connection.request('health')).resolves.toMatchObject({ ok: true });
  });

  it('a frozen gateway → TIMEOUT within the handshake bound, socket terminated', async () => {
    const { port, gw } = await gateway();
    signal(gw, 'SIGSTOP');
    await waitUntilStopped(gw.pid);
    const started = performance.now();
    const error = await connectFailure(port, { handshakeTimeoutMs: 500 });
    const elapsed = performance.now() - started;
    expect(error.code).toBe('TIMEOUT');
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(1_500);
    expect(await ourSockets([port])).toEqual({});
    signal(gw, 'SIGCONT');
  });
});

describe('an established connection', () => {
  it('SIGTERM → pending call rejected with GatewayRestartingError, then onLost with the shutdown notice', async () => {
    const { port, gw } = await gateway();
    const connection = await connect(port);
    const lost = lostPromise(connection);
    // Freeze the gateway with a large request in flight and the SIGTERM queued: on resume it handles the
    // signal before it has read the whole request, so the call is pending when `shutdown` arrives.
    signal(gw, 'SIGSTOP');
    await waitUntilStopped(gw.pid);
    const pending = connection.request('health', { pad: 'x'.repeat(8 * 1024 * 1024) }).catch((e: unknown) => e);
    signal(gw, 'SIGTERM');
    signal(gw, 'SIGCONT');
    const error = await pending;
    expect(error).toBeInstanceOf(GatewayRestartingError);
    expect((error as GatewayRestartingError).restartExpectedMs).toBeUndefined();
    const loss = await lost;
    expect(loss.code).toBe(1012);
    expect(loss.shutdown).toMatchObject({ reason: expect.any(String) });
    expect(loss.shutdown?.restartExpectedMs).toBeUndefined();
    expect(loss.hung).toBeUndefined();
    await expect(connection.request('health')).rejects.toBeInstanceOf(GatewayRestartingError);
    expect(await gw.exited).toEqual({ code: 0, signal: null });
  });

  it('SIGUSR2 → shutdown with restartExpectedMs, and the reconnect sees a new bootId', async () => {
    const { port, gw } = await gateway();
    const connection = await connect(port);
    const lost = lostPromise(connection);
    signal(gw, 'SIGUSR2');
    const loss = await lost;
    expect(loss.code).toBe(1012);
    expect(loss.shutdown?.restartExpectedMs).toEqual(expect.any(Number));
    const again = await waitFor(() => connect(port).catch(() => undefined), { what: 'reconnect after SIGUSR2' });
    expect(again.hello.bootId).not.toBe(connection.hello.bootId);
    expect(again.hello.bootId).not.toBe('');
    await expect(again.request('health')).resolves.toMatchObject({ bootId: again.hello.bootId });
  });

  it('kill -9 → onLost code 1006 and the pending call rejected with the closed error', async () => {
    const { port, gw } = await gateway();
    const connection = await connect(port);
    const lost = lostPromise(connection);
    signal(gw, 'SIGSTOP');
    await waitUntilStopped(gw.pid);
    const pending = connection.request('health').catch((e: unknown) => e);
    signal(gw, 'SIGKILL');
    const loss = await lost;
    expect(loss.code).toBe(1006);
    expect(loss.shutdown).toBeUndefined();
    const error = await pending;
    expect(error).toBeInstanceOf(GatewayConnectionClosedError);
    expect((error as GatewayConnectionClosedError).closeCode).toBe(1006);
  });

  it('SIGSTOP → hung detected within 2× heartbeat, socket terminated, pending call rejected', async () => {
    const { port, gw } = await gateway();
    const connection = await connect(port, { heartbeatMs: HANG_HEARTBEAT_MS });
    await connection.request('health');
    const lost = lostPromise(connection);
    signal(gw, 'SIGSTOP');
    const frozenAt = performance.now();
    const pending = connection.request('health', undefined, { timeoutMs: 30_000 }).catch((e: unknown) => e);
    const loss = await lost;
    const detectedAfter = performance.now() - frozenAt;
    expect(loss).toMatchObject({ hung: true, code: 1006 });
    // 2 × heartbeat from the last sign of life (before the freeze), plus timer slack on a busy
    // machine: still under the 3 × a ping-then-wait design would take.
    expect(detectedAfter).toBeLessThan(2 * HANG_HEARTBEAT_MS + 900);
    expect(await pending).toBeInstanceOf(GatewayConnectionClosedError);
    expect(await ourSockets([port])).toEqual({});
    signal(gw, 'SIGCONT');
    await gw.stop();
  });

  it('malformed frames are logged and ignored; the connection keeps working', async () => {
    // A small announced maxPayload keeps the gateway's "oversized" frame under our own limit.
    const { port } = await gateway({ PINCER_REFGW_MALFORMED: '1', PINCER_REFGW_MAX_PAYLOAD: '65536' });
    const connection = await connect(port);
    let lost: ConnectionLoss | undefined;
    connection.onLost((loss) => (lost = loss));
    await waitFor(() => logs.some((l) => /unknown or timed-out request/.test(l.message)), { what: 'stray response logged' });
    await expect(connection.request('health')).resolves.toMatchObject({ ok: true });
    const ignored = logs.map((l) => l.message).filter((m) => /ignored/.test(m));
    expect(ignored.some((m) => /not-json/.test(m))).toBe(true);
    expect(ignored.some((m) => /unknown-type/.test(m))).toBe(true);
    expect(ignored.some((m) => /not-an-object/.test(m))).toBe(true);
    expect(lost).toBeUndefined();
  });

  it('a frame over our 25 MiB limit → ws closes 1009 → onLost, no crash', async () => {
    const { port } = await gateway({ PINCER_REFGW_MALFORMED: '1' });
    const connection = await connect(port);
    const loss = await lostPromise(connection);
    expect(loss.code).toBe(1009);
    expect(logs.some((l) => /Max payload size exceeded/i.test(l.message))).toBe(true);
    await expect(connection.request('health')).rejects.toBeInstanceOf(GatewayConnectionClosedError);
  });

  it('a call the gateway does not answer times out on its own; the late answer is ignored', async () => {
    const { port, gw } = await gateway();
    const connection = await connect(port);
    signal(gw, 'SIGSTOP');
    await waitUntilStopped(gw.pid);
    const started = performance.now();
    const error = await connection.request('health', undefined, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayRequestTimeoutError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    signal(gw, 'SIGCONT');
    await waitFor(() => logs.some((l) => /unknown or timed-out request/.test(l.message)), { what: 'late answer logged' });
    await expect(connection.request('health')).resolves.toMatchObject({ ok: true });
  });

  it('close() against a frozen gateway resolves within the 2 s close bound and leaves no socket of ours', async () => {
    const { port, gw } = await gateway();
    const connection = await connect(port);
    let lostCalled = false;
    connection.onLost(() => (lostCalled = true));
    signal(gw, 'SIGSTOP');
    await waitUntilStopped(gw.pid);
    const pending = connection.request('health').catch((e: unknown) => e);
    const started = performance.now();
    await connection.close();
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    expect(elapsed).toBeLessThan(3_000);
    expect(await pending).toBeInstanceOf(GatewayConnectionClosedError);
    expect(await ourSockets([port])).toEqual({});
    expect(lostCalled).toBe(false);
    signal(gw, 'SIGCONT');
  });

  it('close() against a gateway that never closes client sockets still ends ours', async () => {
    const { port } = await gateway({ PINCER_REFGW_NEVER_CLOSE_CLIENTS: '1' });
    const connection = await connect(port);
    const started = performance.now();
    await connection.close();
    expect(performance.now() - started).toBeLessThan(3_000);
    const mine = await ourSockets([port]);
    expect(mine.CLOSE_WAIT ?? 0).toBe(0);
    expect(mine.FIN_WAIT2 ?? 0).toBe(0);
    expect(mine.ESTABLISHED ?? 0).toBe(0);
  });

  it('close() is idempotent, fires no onLost, and later calls fail fast', async () => {
    const { port } = await gateway();
    const connection = await connect(port);
    let lostCalled = false;
    connection.onLost(() => (lostCalled = true));
    const [a, b] = [connection.close(), connection.close()];
    expect(a).toBe(b);
    await a;
    await expect(connection.request('health')).rejects.toBeInstanceOf(GatewayConnectionClosedError);
    await expect(connection.request('health', undefined, { timeoutMs: -1 })).rejects.toThrow(/timeoutMs/);
    expect(lostCalled).toBe(false);
  });

  it('onLost registered after the loss still hears about it, once', async () => {
    const { port, gw } = await gateway();
    const connection = await connect(port);
    const first = lostPromise(connection);
    signal(gw, 'SIGKILL');
    await first;
    const calls: ConnectionLoss[] = [];
    connection.onLost((loss) => calls.push(loss));
    await waitFor(() => calls.length === 1, { what: 'late onLost' });
    expect(calls[0]!.code).toBe(1006);
    await connection.close(); // after a loss: resolves at once
  });
});
