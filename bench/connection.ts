// Control-connection benchmarks (issue 3), measured side by side in one run against the reference
// gateway: RPC round trip through our connection vs a bare ws client, hang → detection time, and
// sockets left after many connect/close cycles.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { connectGateway, type ConnectOptions, type ConnectionLoss } from '../electron/core/connection';
import {
  CLIENT_MODES,
  METHODS,
  SUPERVISOR_SCOPES,
  buildConnectParams,
  encodeRequest,
  generateDeviceKeyPair,
  parseFrame,
  readChallenge,
} from '../electron/core/protocol';
import { sampleSockets } from '../electron/core/sockets/monitor';
import { freePort } from '../tests/helpers/ports';
import { startReferenceGateway } from '../tests/helpers/reference-gateway';
import { waitFor } from '../tests/helpers/wait';
import { percentile, round, type BenchResult } from './stats';

const TOKEN = 'bench-connection-token';
const RTT_ROUNDS = 10;
const RTT_CALLS_PER_ROUND = 500;
const HANG_HEARTBEAT_MS = 500;
const HANG_ROUNDS = 3;
const CYCLES = 200;

interface Caller {
  call(): Promise<unknown>;
  close(): Promise<void>;
}

/** The baseline: a minimal ws client doing the same handshake and request, nothing else. */
async function bareClient(port: number): Promise<Caller> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
  const keyPair = generateDeviceKeyPair();
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', (data: WebSocket.RawData) => {
      const parsed = parseFrame(data);
      if (!parsed.ok) return;
      const frame = parsed.frame;
      if (frame.type === 'event') {
        const challenge = readChallenge(frame);
        if (!challenge) return;
        const params = buildConnectParams({
          client: { version: 'bench', platform: process.platform, mode: CLIENT_MODES.BACKEND },
          scopes: SUPERVISOR_SCOPES,
          token: TOKEN,
          keyPair,
          challenge,
        });
        ws.send(encodeRequest('connect', METHODS.CONNECT, params));
      } else if (frame.type === 'res' && frame.id === 'connect') {
        ws.removeAllListeners('message');
        if (frame.ok) resolve();
        else reject(new Error(`bare client refused: ${frame.error?.message}`));
      }
    });
  });
  let nextId = 0;
  let waiting: { id: string; resolve: (payload: unknown) => void } | undefined;
  ws.on('message', (data: WebSocket.RawData) => {
    const frame = JSON.parse(data.toString()) as { id?: string; payload?: unknown };
    if (waiting && frame.id === waiting.id) waiting.resolve(frame.payload);
  });
  return {
    call() {
      const id = `b${++nextId}`;
      return new Promise((resolve) => {
        waiting = { id, resolve };
        ws.send(encodeRequest(id, METHODS.HEALTH));
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}

async function timeCalls(caller: Caller, count: number, into: number[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await caller.call();
    into.push((performance.now() - started) * 1000);
  }
}

export async function benchConnection(): Promise<BenchResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-bench-conn-'));
  const options = (port: number, overrides: Partial<ConnectOptions> = {}): ConnectOptions => ({
    port,
    token: TOKEN,
    dataDir,
    heartbeatMs: 5_000,
    handshakeTimeoutMs: 5_000,
    clientVersion: 'bench',
    log: () => {},
    ...overrides,
  });
  const port = await freePort();
  const gateway = await startReferenceGateway({ port, token: TOKEN });
  try {
    // RPC round trip, ours vs bare, interleaved rounds so both see the same machine conditions.
    const ours = await connectGateway(options(port));
    const oursCaller: Caller = { call: () => ours.request(METHODS.HEALTH), close: () => ours.close() };
    const bare = await bareClient(port);
    await timeCalls(oursCaller, 200, []);
    await timeCalls(bare, 200, []);
    const oursUs: number[] = [];
    const bareUs: number[] = [];
    for (let r = 0; r < RTT_ROUNDS; r++) {
      const [first, second] = r % 2 === 0 ? [oursCaller, bare] : [bare, oursCaller];
      await timeCalls(first, RTT_CALLS_PER_ROUND, first === bare ? bareUs : oursUs);
      await timeCalls(second, RTT_CALLS_PER_ROUND, second === bare ? bareUs : oursUs);
    }
    await ours.close();
    await bare.close();

    // Hang: SIGSTOP the gateway under a live connection; time until onLost({hung}).
    const detections: number[] = [];
    for (let r = 0; r < HANG_ROUNDS; r++) {
      const hangPort = await freePort();
      const frozen = await startReferenceGateway({ port: hangPort, token: TOKEN });
      const connection = await connectGateway(options(hangPort, { heartbeatMs: HANG_HEARTBEAT_MS }));
      await connection.request(METHODS.HEALTH);
      const lost = new Promise<ConnectionLoss>((resolve) => connection.onLost(resolve));
      process.kill(frozen.pid, 'SIGSTOP');
      const frozenAt = performance.now();
      const loss = await lost;
      detections.push(performance.now() - frozenAt);
      if (!loss.hung) throw new Error(`expected a hang, got ${JSON.stringify(loss)}`);
      process.kill(frozen.pid, 'SIGCONT');
      await frozen.stop();
    }

    // Sockets left after connect/health/close cycles.
    const cycleMs: number[] = [];
    for (let i = 0; i < CYCLES; i++) {
      const started = performance.now();
      const connection = await connectGateway(options(port));
      await connection.request(METHODS.HEALTH);
      await connection.close();
      cycleMs.push(performance.now() - started);
    }
    const sample = () => sampleSockets({ port, ourPid: process.pid, gatewayPids: [gateway.pid] });
    const atOnce = await sample();
    const settled = await waitFor(
      async () => {
        const report = await sample();
        return (report.gatewaySide.CLOSE_WAIT ?? 0) === 0 && Object.keys(report.ourSide).length === 0 ? report : undefined;
      },
      { timeoutMs: 5_000, intervalMs: 50, what: 'sockets to settle' },
    ).catch(sample);
    const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

    const p50Ours = percentile(oursUs, 50);
    const p50Bare = percentile(bareUs, 50);
    const p99Ours = percentile(oursUs, 99);
    const p99Bare = percentile(bareUs, 99);
    return {
      'health RTT p50, our connection (µs)': round(p50Ours),
      'health RTT p50, bare ws client (µs)': round(p50Bare),
      'health RTT p50 ratio ours/bare (goal ≤ 1.1)': round(p50Ours / p50Bare, 2),
      'health RTT p99, our connection (µs)': round(p99Ours),
      'health RTT p99, bare ws client (µs)': round(p99Bare),
      'health RTT p99 ratio ours/bare': round(p99Ours / p99Bare, 2),
      'RTT samples per client': oursUs.length,
      [`hang (SIGSTOP) → detected, median ms (heartbeat ${HANG_HEARTBEAT_MS}; deadline ${2 * HANG_HEARTBEAT_MS} after the last sign of life)`]: round(
        percentile(detections, 50),
      ),
      'hang → detected, worst ms': round(Math.max(...detections)),
      [`connect+health+close cycle p50 (ms, ${CYCLES} cycles)`]: round(percentile(cycleMs, 50), 2),
      [`our sockets on the port right after ${CYCLES} cycles`]: JSON.stringify(atOnce.ourSide),
      [`our sockets after settle (goal 0)`]: total(settled.ourSide as Record<string, number>),
      'our CLOSE_WAIT + FIN_WAIT2 after settle (goal 0)': (settled.ourSide.CLOSE_WAIT ?? 0) + (settled.ourSide.FIN_WAIT2 ?? 0),
      'gateway-side CLOSE_WAIT after settle': settled.gatewaySide.CLOSE_WAIT ?? 0,
    };
  } finally {
    await gateway.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
