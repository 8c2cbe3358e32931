// Fault injection of the reference gateway, each observable from outside the process.
import { afterEach, describe, expect, it } from 'vitest';
import { readProcStatSync } from '../../electron/core/process/procfs';
import { isAlive } from '../../electron/core/process/tree';
import { encodeRequest, parseFrame } from '../../electron/core/protocol';
import { freePort } from '../helpers/ports';
import { startReferenceGateway, stopAllReferenceGateways } from '../helpers/reference-gateway';
import { waitFor } from '../helpers/wait';
import { closeAllClients, openClient } from './client';
import { socketStatesOf } from './proc-sockets';

const TOKEN = 'fault-test-token-c0de';

afterEach(async () => {
  closeAllClients();
  await stopAllReferenceGateways();
});

const parentPid = (pid: number) => readProcStatSync(pid)?.ppid;

describe('PINCER_REFGW_MALFORMED', () => {
  it('after hello-ok sends non-JSON, an unknown type, a non-object, a stray response and an oversized frame; then keeps serving', async () => {
    const port = await freePort();
    await startReferenceGateway({ port, token: TOKEN, env: { PINCER_REFGW_MALFORMED: '1', PINCER_REFGW_MAX_PAYLOAD: '4096' } });
    const client = await openClient(port, { token: TOKEN });
    expect((await client.connect()).ok).toBe(true);
    await waitFor(() => client.raw.length >= 7, { what: 'the malformed frames' });
    const [, , notJson, bogus, array, stray, oversized] = client.raw;
    expect(parseFrame(notJson!)).toEqual({ ok: false, reason: 'not-json' });
    expect(parseFrame(bogus!)).toEqual({ ok: false, reason: 'unknown-type' });
    expect(parseFrame(array!)).toEqual({ ok: false, reason: 'not-an-object' });
    expect(parseFrame(stray!)).toMatchObject({ ok: true, frame: { type: 'res', id: 'no-such-request' } });
    expect(Buffer.byteLength(oversized!)).toBeGreaterThan(4096);
    expect((await client.request('health')).ok).toBe(true);
  });

  it('a client that enforces the announced maxPayload rejects the oversized frame and the socket ends', async () => {
    const port = await freePort();
    await startReferenceGateway({ port, token: TOKEN, env: { PINCER_REFGW_MALFORMED: '1', PINCER_REFGW_MAX_PAYLOAD: '4096' } });
    const client = await openClient(port, { token: TOKEN, maxPayload: 4096 });
    expect((await client.connect()).ok).toBe(true);
    await client.closed;
    // ws sends close 1009 to the peer and stops reading, so locally the close is abnormal (1006).
    expect(client.errors.map((error) => (error as NodeJS.ErrnoException).code)).toEqual(['WS_ERR_UNSUPPORTED_MESSAGE_LENGTH']);
  });
});

describe('PINCER_REFGW_HANG_AFTER_MS', () => {
  it('stops answering frames, pings, HTTP and signals but keeps the socket open', async () => {
    const port = await freePort();
    const gateway = await startReferenceGateway({ port, token: TOKEN, env: { PINCER_REFGW_HANG_AFTER_MS: '3000' } });
    const client = await openClient(port, { token: TOKEN });
    expect((await client.connect()).ok).toBe(true);
    let pongs = 0;
    client.ws.on('pong', () => pongs++);
    client.ws.ping();
    await waitFor(() => pongs === 1, { what: 'pong while healthy' });

    await waitFor(() => gateway.stderr().includes('injected hang'), { what: 'hang' });
    client.ws.ping();
    client.ws.send(encodeRequest('after-hang', 'health'));
    const http = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
      () => 'answered',
      () => 'no answer',
    );
    expect(http).toBe('no answer');
    gateway.proc.kill('SIGTERM');
    await waitFor(() => gateway.stderr().includes('hung: ignoring SIGTERM'), { what: 'SIGTERM ignored' });
    expect(pongs).toBe(1);
    expect(client.raw.some((text) => text.includes('after-hang'))).toBe(false);
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    expect(socketStatesOf(gateway.pid, port).ESTABLISHED).toBeGreaterThanOrEqual(1);
    expect(gateway.proc.exitCode).toBeNull();

    gateway.proc.kill('SIGKILL');
    expect((await gateway.exited).signal).toBe('SIGKILL');
  });
});

describe('PINCER_REFGW_NEVER_CLOSE_CLIENTS', () => {
  it('leaves closed clients in CLOSE_WAIT on the gateway side', async () => {
    const port = await freePort();
    const gateway = await startReferenceGateway({ port, token: TOKEN, env: { PINCER_REFGW_NEVER_CLOSE_CLIENTS: '1' } });
    const clients = await Promise.all([1, 2, 3].map(() => openClient(port, { token: TOKEN })));
    for (const client of clients) expect((await client.connect()).ok).toBe(true);
    for (const client of clients) client.ws.close(1000, 'bye');
    const states = await waitFor(
      () => {
        const counts = socketStatesOf(gateway.pid, port);
        return (counts.CLOSE_WAIT ?? 0) >= 3 ? counts : undefined;
      },
      { what: 'three CLOSE_WAIT sockets on the gateway side' },
    );
    expect(states.CLOSE_WAIT).toBe(3);
  });

  it('a healthy gateway leaves none', async () => {
    const port = await freePort();
    const gateway = await startReferenceGateway({ port, token: TOKEN });
    const clients = await Promise.all([1, 2, 3].map(() => openClient(port, { token: TOKEN })));
    for (const client of clients) expect((await client.connect()).ok).toBe(true);
    for (const client of clients) client.ws.close(1000, 'bye');
    for (const client of clients) expect((await client.closed).code).toBe(1000);
    await waitFor(() => Object.keys(socketStatesOf(gateway.pid, port)).join() === 'LISTEN', { what: 'only the listener left' });
  });
});

describe('PINCER_REFGW_SPAWN_WORKER', () => {
  it('spawns a worker child that a graceful stop takes down with it', async () => {
    const port = await freePort();
    const gateway = await startReferenceGateway({ port, token: TOKEN, env: { PINCER_REFGW_SPAWN_WORKER: '1' } });
    const workerPid = Number((await gateway.waitForStdout(/worker pid (\d+)/))[1]);
    expect(parentPid(workerPid)).toBe(gateway.pid);
    gateway.proc.kill('SIGTERM');
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    await waitFor(() => !isAlive(workerPid), { what: 'worker gone' });
  });

  it('the worker outlives a SIGKILL of the gateway (only a tree kill ends it)', async () => {
    const port = await freePort();
    const gateway = await startReferenceGateway({ port, token: TOKEN, env: { PINCER_REFGW_SPAWN_WORKER: '1' } });
    const workerPid = Number((await gateway.waitForStdout(/worker pid (\d+)/))[1]);
    gateway.proc.kill('SIGKILL');
    await gateway.exited;
    await waitFor(() => parentPid(workerPid) !== gateway.pid, { what: 'worker reparented' });
    expect(isAlive(workerPid)).toBe(true);
    process.kill(workerPid, 'SIGKILL');
    await waitFor(() => !isAlive(workerPid), { what: 'worker killed' });
  });
});

describe('PINCER_REFGW_FLOOD_STDOUT', () => {
  it('writes log lines at roughly the asked rate', async () => {
    const port = await freePort();
    const gateway = await startReferenceGateway({ port, token: TOKEN, env: { PINCER_REFGW_FLOOD_STDOUT: '500000' } });
    const started = Date.now();
    await waitFor(() => gateway.stdout().length > 500_000, { what: '500 kB of output' });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThan(500);
    expect(elapsed).toBeLessThan(15_000);
    expect(gateway.stdout()).toMatch(/^\[gateway\] flood x+$/m);
  });
});

describe('socket hygiene of the gateway itself', () => {
  it('after refusals, timeouts, oversized frames, abrupt and clean closes it owns nothing but its listener', async () => {
    const port = await freePort();
    const gateway = await startReferenceGateway({
      port,
      token: TOKEN,
      env: { PINCER_REFGW_HANDSHAKE_TIMEOUT_MS: '2000', PINCER_REFGW_MAX_PAYLOAD: '4096' },
    });
    const rounds = Array.from({ length: 5 }, async () => {
      const refused = await openClient(port, { token: 'wrong' });
      await refused.connect();
      const silent = await openClient(port, { token: TOKEN });
      const oversized = await openClient(port, { token: TOKEN });
      await oversized.connect();
      oversized.ws.send('x'.repeat(10_000));
      const abrupt = await openClient(port, { token: TOKEN });
      await abrupt.connect();
      abrupt.ws.terminate();
      const clean = await openClient(port, { token: TOKEN });
      await clean.connect();
      clean.ws.close(1000);
      return Promise.all([refused.closed, silent.closed, oversized.closed, clean.closed]);
    });
    const closes = (await Promise.all(rounds)).flat().map((close) => close.code);
    expect(closes.sort()).toEqual([...Array(5).fill(1000), ...Array(5).fill(1000), ...Array(5).fill(1008), ...Array(5).fill(1009)].sort());
    await waitFor(() => Object.keys(socketStatesOf(gateway.pid, port)).join() === 'LISTEN', {
      what: 'only the listener left on the gateway side',
    });
  });
});
