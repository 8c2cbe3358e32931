// Issue 3's leak test: 300 connection cycles against real reference gateways, mixing clean closes,
// kill -9, in-process restarts, SIGSTOP hangs, frozen closes, handshake timeouts and refusals. After
// settle this process must hold no socket in CLOSE_WAIT / FIN_WAIT_2 (or any other state) on the
// gateway ports, no more file descriptors than before, and no leftover timers or TCP handles.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import {
  ConnectError,
  GatewayConnectionClosedError,
  connectGateway,
  type ConnectOptions,
  type ConnectionLoss,
  type ControlConnection,
} from '../../electron/core/connection';
import { freePort } from '../helpers/ports';
import { startReferenceGateway, stopAllReferenceGateways, type ReferenceGatewayProcess } from '../helpers/reference-gateway';
import { waitFor } from '../helpers/wait';
import { backToBaseline, takeBaseline } from '../helpers/resources';

const TOKEN = 'leak-test-token';
const CYCLES = 300;

type CycleKind = 'normal' | 'kill' | 'usr2' | 'hang' | 'frozen-close' | 'handshake-timeout' | 'refuse-token' | 'refuse-protocol';

/** A fixed, interleaved mix: mostly clean cycles, every fault kind spread over the whole run. */
function kindOf(cycle: number): CycleKind {
  if (cycle % 100 === 50) return 'frozen-close';
  if (cycle % 30 === 29) return 'kill';
  if (cycle % 30 === 14) return 'usr2';
  if (cycle % 15 === 7) return 'hang';
  if (cycle % 25 === 12) return 'handshake-timeout';
  if (cycle % 10 === 3) return 'refuse-token';
  if (cycle % 10 === 8) return 'refuse-protocol';
  return 'normal';
}

interface Target {
  port: number;
  gw: ReferenceGatewayProcess;
  dataDir: string;
  env: Record<string, string>;
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-leak-'));
let warnings = 0;

async function startTarget(name: string, env: Record<string, string> = {}, port?: number): Promise<Target> {
  const chosen = port ?? (await freePort());
  const gw = await startReferenceGateway({ port: chosen, token: TOKEN, env });
  const dataDir = path.join(root, name);
  return { port: chosen, gw, dataDir, env };
}

function options(target: Target, overrides: Partial<ConnectOptions> = {}): ConnectOptions {
  return {
    port: target.port,
    token: TOKEN,
    dataDir: target.dataDir,
    // Hang detection only in the hang cycles: elsewhere a gateway starved on a loaded machine
    // would turn the loss a cycle expects (a kill, a restart notice) into a hang.
    heartbeatMs: 60_000,
    handshakeTimeoutMs: 3_000,
    clientVersion: '0.1.0-leak',
    log: (level) => {
      if (level === 'warn' || level === 'error') warnings++;
    },
    ...overrides,
  };
}

const lost = (connection: ControlConnection) => new Promise<ConnectionLoss>((resolve) => connection.onLost(resolve));

function isStopped(pid: number): boolean {
  return /^\S+ \(.*\) T /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

async function freeze(gw: ReferenceGatewayProcess): Promise<void> {
  process.kill(gw.pid, 'SIGSTOP');
  await waitFor(() => isStopped(gw.pid), { intervalMs: 2, what: 'gateway stopped' });
}

async function thaw(gw: ReferenceGatewayProcess): Promise<void> {
  process.kill(gw.pid, 'SIGCONT');
  await waitFor(() => !isStopped(gw.pid), { intervalMs: 2, what: 'gateway running again' });
}

async function expectRefusal(promise: Promise<ControlConnection>, code: ConnectError['code']): Promise<void> {
  const error = await promise.then(
    async (connection) => {
      await connection.close();
      return new Error('connected, but a refusal was expected');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectError);
  expect((error as ConnectError).code).toBe(code);
}

afterAll(async () => {
  await stopAllReferenceGateways();
  fs.rmSync(root, { recursive: true, force: true });
});

it(`${CYCLES} connect/fault cycles leave no socket, fd, timer or handle behind`, { timeout: 180_000 }, async () => {
  let main = await startTarget('main');
  const frozen = await startTarget('frozen');
  const refusesToken = await startTarget('refuse-token', { PINCER_REFGW_REFUSE_HANDSHAKE: 'token' });
  const refusesProtocol = await startTarget('refuse-protocol', { PINCER_REFGW_REFUSE_HANDSHAKE: 'protocol' });
  const ports = [main.port, frozen.port, refusesToken.port, refusesProtocol.port];

  // Warm up every code path once (lazy module loads, crypto, the identity files), then take the baseline.
  for (const target of [main, frozen]) await (await connectGateway(options(target))).close();
  await expectRefusal(connectGateway(options(refusesToken)), 'AUTH_FAILED');
  const baseline = takeBaseline();

  const counts: Partial<Record<CycleKind, number>> = {};
  const started = performance.now();
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const kind = kindOf(cycle);
    counts[kind] = (counts[kind] ?? 0) + 1;
    switch (kind) {
      case 'normal': {
        const connection = await connectGateway(options(main));
        await expect(connection.request('health')).resolves.toMatchObject({ ok: true });
        await connection.close();
        break;
      }
      case 'kill': {
        const connection = await connectGateway(options(main));
        const loss = lost(connection);
        await freeze(main.gw);
        const pending = connection.request('health').catch((e: unknown) => e);
        process.kill(main.gw.pid, 'SIGKILL');
        expect((await loss).code).toBe(1006);
        expect(await pending).toBeInstanceOf(GatewayConnectionClosedError);
        await main.gw.exited;
        main = { ...(await startTarget('main', main.env, main.port)), dataDir: main.dataDir };
        break;
      }
      case 'usr2': {
        const connection = await connectGateway(options(main));
        const loss = lost(connection);
        process.kill(main.gw.pid, 'SIGUSR2');
        expect((await loss).shutdown?.restartExpectedMs).toEqual(expect.any(Number));
        // The port is closed for the restart gap: reconnect until it is back.
        const again = await waitFor(() => connectGateway(options(main)).catch(() => undefined), { intervalMs: 50, what: 'restart' });
        expect(again.hello.bootId).not.toBe(connection.hello.bootId);
        await again.close();
        break;
      }
      case 'hang': {
        const connection = await connectGateway(options(frozen, { heartbeatMs: 100 }));
        const loss = lost(connection);
        await freeze(frozen.gw);
        expect((await loss).hung).toBe(true);
        await thaw(frozen.gw);
        break;
      }
      case 'frozen-close': {
        const connection = await connectGateway(options(frozen));
        await freeze(frozen.gw);
        await connection.close();
        await thaw(frozen.gw);
        break;
      }
      case 'handshake-timeout': {
        await freeze(frozen.gw);
        await expectRefusal(connectGateway(options(frozen, { handshakeTimeoutMs: 150 })), 'TIMEOUT');
        await thaw(frozen.gw);
        break;
      }
      case 'refuse-token':
        await expectRefusal(connectGateway(options(refusesToken)), 'AUTH_FAILED');
        break;
      case 'refuse-protocol':
        await expectRefusal(connectGateway(options(refusesProtocol)), 'PROTOCOL_MISMATCH');
        break;
    }
  }
  const cyclesMs = performance.now() - started;

  // Settle: the kernel may need a moment to retire sockets the gateways are still closing.
  const settled = await backToBaseline(ports, baseline, { timeoutMs: 10_000 });

  expect(settled.sockets.CLOSE_WAIT ?? 0).toBe(0);
  expect(settled.sockets.FIN_WAIT2 ?? 0).toBe(0);
  expect(settled.fds).toBeLessThanOrEqual(baseline.fds);
  expect(counts).toMatchObject({ normal: expect.any(Number), kill: 10, usr2: 10, hang: expect.any(Number), 'frozen-close': 3 });
  expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(CYCLES);
  console.log(`leak test: ${CYCLES} cycles in ${Math.round(cyclesMs)} ms ${JSON.stringify(counts)}; ${warnings} warnings logged`);
});
