// Pincer (the headless twin) supervising the real OpenClaw gateway, offline, in a private
// HOME / TMPDIR / state dir: handshake, RPC, crash and hang recovery, and a clean stop.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectGateway } from '../../electron/core/connection';
import { gatewayCacheDir } from '../../electron/core/paths';
import { isAlive, listDescendants } from '../../electron/core/process/tree';
import type { GatewayStatus } from '../../electron/core/status';
import { Hammer } from '../../scripts/chaos/hammer';
import { freePort } from '../helpers/ports';
import { startTwin, type Twin } from '../helpers/twin';
import { waitFor } from '../helpers/wait';

const figures: Record<string, string> = {};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

describe('Pincer with the real OpenClaw gateway', () => {
  const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-openclaw-'));
  const gatewayFolder = gatewayCacheDir(process.env, os.homedir());
  let twin: Twin;
  let gatewayPort: number;

  /** OpenClaw processes of this run: the twin starts nothing else. */
  const openclawProcesses = () => listDescendants(twin.pid);

  const runningWith = (predicate: (status: GatewayStatus) => boolean, what: string) =>
    waitFor(
      async () => {
        const status = await twin.status();
        return status.state === 'running' && predicate(status) ? status : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 100, what },
    );

  beforeAll(async () => {
    const dirs = Object.fromEntries(['home', 'tmp', 'cache', 'state', 'data'].map((name) => [name, path.join(sandbox, name)]));
    for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
    // A short heartbeat so a hang is found within seconds.
    fs.writeFileSync(path.join(dirs.data!, 'settings.json'), JSON.stringify({ heartbeatMs: 2_000 }));
    gatewayPort = await freePort();
    const started = Date.now();
    twin = await startTwin({
      gatewayPort,
      gatewayArgs: ['--gateway', 'openclaw', '--openclaw', gatewayFolder],
      dataDir: dirs.data,
      env: {
        HOME: dirs.home!,
        TMPDIR: dirs.tmp!,
        XDG_CACHE_HOME: dirs.cache!,
        OPENCLAW_STATE_DIR: dirs.state!,
        // Offline: no chat channels, no LAN discovery.
        OPENCLAW_SKIP_CHANNELS: '1',
        OPENCLAW_DISABLE_BONJOUR: '1',
      },
    });
    const status = await runningWith(() => true, 'OpenClaw running under Pincer');
    figures['start → running'] = seconds(Date.now() - started);
    figures['phases (ms)'] = JSON.stringify(status.phaseTimings);
  });

  afterAll(async () => {
    await twin?.stop(60_000);
    fs.rmSync(sandbox, { recursive: true, force: true });
    console.log(
      `OpenClaw interop figures:\n${Object.entries(figures)
        .map(([k, v]) => `  ${k}: ${v}`)
        .join('\n')}`,
    );
  });

  it('runs OpenClaw, completes the handshake (hello-ok) and answers a health RPC', async () => {
    const status = await twin.status();
    // No config in its private state dir: an unconfigured gateway, run with Pincer's own token.
    expect(status.gateway).toMatchObject({
      kind: 'openclaw',
      source: 'settings',
      version: '2026.9.6',
      auth: 'pincer-token',
      config: { exists: false, configured: false },
    });
    expect(status.gateway.bootId).toBeTruthy();
    expect(status.gateway.maxPayload).toBeGreaterThan(0);
    expect(await openclawProcesses()).toContain(status.pid);

    // A client of our own, with the token Pincer gave the gateway, through the public port.
    const identityDir = fs.mkdtempSync(path.join(sandbox, 'client-'));
    const connection = await connectGateway({
      port: gatewayPort,
      token: fs.readFileSync(path.join(twin.dataDir, 'gateway-token'), 'utf8').trim(),
      dataDir: identityDir,
      heartbeatMs: 5_000,
      handshakeTimeoutMs: 20_000,
      clientVersion: 'interop-test',
      log: () => {},
    });
    try {
      expect(connection.hello.serverVersion).toBe('2026.9.6');
      const started = performance.now();
      const health = await connection.request<{ ok?: boolean }>('health', {}, { timeoutMs: 20_000 });
      figures['health RPC'] = `${(performance.now() - started).toFixed(1)} ms`;
      expect(health).toBeTruthy();
    } finally {
      await connection.close();
    }
  });

  /** Hammers the public port with HTTP /healthz, TCP connects and WebSocket connects (to the challenge). */
  const tally = (kinds: readonly string[]) =>
    Object.fromEntries([...new Set(kinds)].map((kind) => [kind, kinds.filter((each) => each === kind).length]));

  const hammerPublicPort = () => {
    const http = new Hammer({ port: gatewayPort, intervalMs: 10, timeoutMs: 30_000 });
    http.start();
    const ws = { ok: 0, failures: [] as string[], longestMs: 0 };
    let running = true;
    const loop = (async () => {
      while (running) {
        const started = Date.now();
        const socket = new WebSocket(`ws://127.0.0.1:${gatewayPort}/`, { handshakeTimeout: 30_000 });
        const outcome = await new Promise<string>((resolve) => {
          socket.once('message', () => resolve('ok'));
          socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
          socket.once('close', () => resolve('closed before the challenge'));
        });
        // Reaching the gateway's challenge is the point; the socket goes right away.
        socket.on('error', () => {});
        socket.terminate();
        if (outcome === 'ok') {
          ws.ok += 1;
          ws.longestMs = Math.max(ws.longestMs, Date.now() - started);
        } else ws.failures.push(outcome);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    return {
      http,
      ws,
      async stop() {
        running = false;
        await loop;
        return { http: await http.stop(), ws };
      },
    };
  };

  it('full restart through the API while clients hammer the public port: no refused connection', async () => {
    const before = await twin.status();
    const clients = hammerPublicPort();
    await waitFor(() => clients.http.snapshot().ok >= 20 && clients.ws.ok >= 5, { what: 'traffic before the restart' });
    const restartedAt = Date.now();
    expect((await twin.request('POST', '/api/restart-full')).status).toBe(202);
    await runningWith((s) => s.pid !== before.pid, 'running after the restart');
    figures['API restart → running'] = seconds(Date.now() - restartedAt);
    const okAfter = clients.http.snapshot().ok;
    await waitFor(() => clients.http.snapshot().ok >= okAfter + 20, { timeoutMs: 60_000, what: 'traffic after the restart' });
    const { http, ws } = await clients.stop();
    figures['restart: HTTP/TCP probes (ok, refused, longest wait)'] = `${http.ok}, ${http.byOutcome.refused}, ${http.longestWaitMs} ms`;
    figures['restart: WebSocket connects (ok, failed: kinds, longest wait)'] =
      `${ws.ok}, ${ws.failures.length}: ${JSON.stringify(tally(ws.failures))}, ${ws.longestMs} ms`;
    expect(http.byOutcome.refused).toBe(0);
    expect(ws.failures.filter((f) => f === 'ECONNREFUSED')).toEqual([]);
  });

  it("OpenClaw's own in-process restart after a config change: same pid, new bootId, no refused connection", async () => {
    const before = await twin.status();
    const clients = hammerPublicPort();
    await waitFor(() => clients.http.snapshot().ok >= 20, { what: 'traffic before the config change' });
    // A gateway.* key that OpenClaw applies by restarting itself in-process (its port closes ~2 s).
    fs.writeFileSync(path.join(sandbox, 'state', 'openclaw.json'), JSON.stringify({ gateway: { tailscale: { mode: 'off' } } }));
    const changedAt = Date.now();
    const after = await runningWith((s) => s.gateway.bootId !== before.gateway.bootId, 'the new bootId');
    figures['config change → running again (in-process)'] = seconds(Date.now() - changedAt);
    const okAfter = clients.http.snapshot().ok;
    await waitFor(() => clients.http.snapshot().ok >= okAfter + 20, { timeoutMs: 60_000, what: 'traffic after the in-process restart' });
    const { http, ws } = await clients.stop();
    figures['in-process restart: HTTP/TCP probes (ok, refused, longest wait)'] = `${http.ok}, ${http.byOutcome.refused}, ${http.longestWaitMs} ms`;
    figures['in-process restart: WebSocket connects (ok, failed: kinds)'] = `${ws.ok}, ${ws.failures.length}: ${JSON.stringify(tally(ws.failures))}`;
    expect(after.pid).toBe(before.pid);
    expect(after.bootIdChanges).toBe(before.bootIdChanges + 1);
    expect(http.byOutcome.refused).toBe(0);
    expect(ws.failures.filter((f) => f === 'ECONNREFUSED')).toEqual([]);
  });

  it('kill -9 of OpenClaw → restarted and running again with a new pid', async () => {
    const before = await twin.status();
    const killedAt = Date.now();
    process.kill(before.pid!, 'SIGKILL');
    const after = await runningWith((s) => s.pid !== before.pid, 'recovery after kill -9');
    figures['kill -9 → running'] = seconds(Date.now() - killedAt);
    expect(after.lastExit).toMatchObject({ signal: 'SIGKILL' });
    expect(after.restarts).toBe(before.restarts + 1);
    expect(isAlive(before.pid!)).toBe(false);
  });

  it('SIGSTOP → detected as hung, killed and started again', async () => {
    const before = await twin.status();
    const stoppedAt = Date.now();
    process.kill(before.pid!, 'SIGSTOP');
    try {
      const detected = await waitFor(
        async () => {
          const status = await twin.status();
          return status.state !== 'running' || status.pid !== before.pid ? status : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 50, what: 'the hang to be noticed' },
      );
      figures['SIGSTOP → detected'] = `${seconds(Date.now() - stoppedAt)} (heartbeat 2 s)`;
      expect(detected.state).not.toBe('running');
      const after = await runningWith((s) => s.pid !== before.pid, 'recovery after the hang');
      figures['SIGSTOP → running'] = seconds(Date.now() - stoppedAt);
      expect(after.pid).not.toBe(before.pid);
      expect(isAlive(before.pid!)).toBe(false);
    } finally {
      if (isAlive(before.pid!)) process.kill(before.pid!, 'SIGKILL');
    }
  });

  it('stop → OpenClaw and its children are gone', async () => {
    const tree = await openclawProcesses();
    expect(tree.length).toBeGreaterThan(0);
    const reply = await twin.request('POST', '/api/stop');
    expect(reply.status).toBe(202);
    await waitFor(async () => (await twin.status()).state === 'stopped', { timeoutMs: 60_000, what: 'stopped' });
    for (const pid of tree) expect(isAlive(pid)).toBe(false);
    expect(await openclawProcesses()).toEqual([]);
  });
});
