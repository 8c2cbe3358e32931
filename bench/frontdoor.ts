// Front-door benchmarks (issue 7), measured side by side in one run. The front door runs in this
// process, as it does in Pincer; clients, probers and servers are child processes.
//  - refused connections per restart, a client probing with an HTTP GET every ~2 ms: direct
//    (stop → start on a fixed port; SIGUSR2 in-process restart) vs through the front door
//    (blue/green: new generation on a new internal port, setTarget, stop the old; SIGUSR2 behind the door);
//  - WebSocket round trip p50/p99 (32-byte messages) and throughput (64 KiB messages echoed),
//    direct vs through the door vs a bare pipe() relay, alternating
//    rounds against one echo server, with the relay's CPU per round trip;
//    and a gateway `health` RPC over Pincer's control connection, direct vs through the door;
//  - idle cost of a front door holding a few idle WebSocket connections: CPU and RSS over a window.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFrontDoor, type FrontDoor } from '../electron/core/frontdoor';
import { freePort } from '../tests/helpers/ports';
import { startReferenceGateway, type ReferenceGatewayProcess } from '../tests/helpers/reference-gateway';
import { waitFor } from '../tests/helpers/wait';
import { median, round, type BenchResult } from './stats';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = 'bench-frontdoor-token';
/** Pause after each restart, so restarts are separate events (the probes of one have landed before the next). */
const SETTLE_MS = 300;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

export interface FrontDoorBenchOptions {
  /** Restarts per mode. */
  restarts?: number;
  /** Alternating direct/door rounds of the WebSocket measurements. */
  rounds?: number;
  /** Round trips per round. */
  rttMessages?: number;
  /** Throughput measurement per round. */
  throughputMs?: number;
  /** Idle-cost window (60 s for `npm run bench`). */
  idleWindowMs?: number;
  idleConnections?: number;
}

// ── child programs (plain Node; ws resolves from the repository) ─────────────────────────────

/** Every `interval` ms a fresh connection GETs /healthz; on stdin end prints the tallies. */
const PROBER = `
const http = require('node:http');
const [port, interval] = process.argv.slice(1).map(Number);
const tally = { ok: 0, refused: 0, errors: 0, errorKinds: {}, maxMs: 0 };
let inflight = 0, stopping = false;
const finish = () => { if (stopping && inflight === 0) { process.stdout.write(JSON.stringify(tally)); process.exit(0); } };
const probe = () => {
  const started = performance.now();
  inflight++;
  const done = (error) => {
    inflight--;
    if (!error) tally.ok++, tally.maxMs = Math.max(tally.maxMs, performance.now() - started);
    else if (error === 'ECONNREFUSED') tally.refused++;
    else tally.errors++, tally.errorKinds[error] = (tally.errorKinds[error] || 0) + 1;
    finish();
  };
  http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
    res.resume();
    res.on('end', () => done(res.statusCode === 200 ? undefined : 'HTTP ' + res.statusCode));
    res.on('error', (e) => done(e.code || e.message));
  }).on('error', (e) => done(e.code || e.message));
};
const timer = setInterval(probe, interval);
process.stdin.resume();
process.stdin.on('end', () => { clearInterval(timer); stopping = true; finish(); });
`;

const ECHO_SERVER = `
const { WebSocketServer } = require('ws');
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.argv[1]), perMessageDeflate: false, maxPayload: 1 << 26 });
wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
wss.on('listening', () => console.log('listening'));
`;

/**
 * rtt N PORT...: one connection per port, then N round trips of 32 bytes on each, in blocks of 100
 * taken in turn, so every route is measured at the same moments by the same processes; prints
 * [{ p50, p99 }] in port order. tput MS PORT: 64 KiB messages, 8 in flight, for MS ms; prints MiB/s.
 */
const WS_CLIENT = `
const WebSocket = require('ws');
const [mode, amount, ...ports] = process.argv.slice(1);
const open = (port) => new Promise((resolve, reject) => {
  const ws = new WebSocket('ws://127.0.0.1:' + port, { perMessageDeflate: false, maxPayload: 1 << 26 });
  ws.once('open', () => resolve(ws)).once('error', reject);
});
const roundTrip = (ws, data) => new Promise((resolve) => { ws.once('message', resolve); ws.send(data); });
const rtt = async (sockets, count) => {
  const small = Buffer.alloc(32, 1);
  for (const ws of sockets) for (let i = 0; i < 200; i++) await roundTrip(ws, small); // warm-up
  const rtts = sockets.map(() => []);
  for (let done = 0; done < count; done += 100) {
    for (const [index, ws] of sockets.entries()) {
      for (let i = 0; i < 100; i++) {
        const started = process.hrtime.bigint();
        await roundTrip(ws, small);
        rtts[index].push(Number(process.hrtime.bigint() - started) / 1000);
      }
    }
  }
  return rtts.map((list) => {
    list.sort((a, b) => a - b);
    const at = (p) => list[Math.min(list.length - 1, Math.ceil((p / 100) * list.length) - 1)];
    return { p50: at(50), p99: at(99) };
  });
};
const throughput = async (ws, ms) => {
  const big = Buffer.alloc(65536, 2);
  let sent = 0, received = 0;
  const started = performance.now();
  await new Promise((resolve) => {
    ws.on('message', () => {
      received++;
      if (performance.now() - started < ms) { ws.send(big); sent++; }
      else if (received === sent) resolve();
    });
    for (let i = 0; i < 8; i++) { ws.send(big); sent++; }
  });
  return { mibPerSec: (received * 65536) / ((performance.now() - started) / 1000) / 1048576 };
};
(async () => {
  const sockets = await Promise.all(ports.map(open));
  const figures = mode === 'rtt' ? await rtt(sockets, Number(amount)) : await throughput(sockets[0], Number(amount));
  process.stdout.write(JSON.stringify(figures));
  for (const ws of sockets) ws.close();
})();
`;

/** A gateway RPC (`health`) over Pincer's own control connection: N sequential calls. Token from the environment. */
const RPC_CLIENT = `
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectGateway } from ${JSON.stringify(path.join(ROOT, 'electron/core/connection/index.ts'))};
const [port, calls] = process.argv.slice(1).map(Number);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-bench-rpc-'));
const connection = await connectGateway({ port, token: process.env.BENCH_TOKEN, dataDir, heartbeatMs: 60000, handshakeTimeoutMs: 10000, clientVersion: 'bench', log: () => {} });
for (let i = 0; i < 200; i++) await connection.request('health');
const rtts = [];
for (let i = 0; i < calls; i++) {
  const started = process.hrtime.bigint();
  await connection.request('health');
  rtts.push(Number(process.hrtime.bigint() - started) / 1000);
}
await connection.close();
fs.rmSync(dataDir, { recursive: true, force: true });
rtts.sort((a, b) => a - b);
const at = (p) => rtts[Math.min(rtts.length - 1, Math.ceil((p / 100) * rtts.length) - 1)];
process.stdout.write(JSON.stringify({ p50: at(50), p99: at(99) }));
`;

/** Opens N WebSocket connections and keeps them idle until stdin ends. */
const IDLE_CLIENTS = `
const WebSocket = require('ws');
const [port, count] = process.argv.slice(1).map(Number);
const sockets = Array.from({ length: count }, () => new WebSocket('ws://127.0.0.1:' + port, { perMessageDeflate: false }));
Promise.all(sockets.map((ws) => new Promise((resolve) => ws.once('open', resolve)))).then(() => console.log('open'));
process.stdin.resume();
process.stdin.on('end', () => { for (const ws of sockets) ws.close(); setTimeout(() => process.exit(0), 200); });
`;

function node(script: string, args: Array<string | number>): ChildProcess {
  return spawn(process.execPath, ['-e', script, ...args.map(String)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
}

/** A TypeScript ES module run through tsx (for the child that uses Pincer's control connection). */
function tsNode(script: string, args: Array<string | number>, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, ...args.map(String)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

function output(child: ChildProcess): Promise<string> {
  let text = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`bench child exited with ${code}: ${text}`)))),
  );
}

function firstLine(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`bench child exited early (${code})`)));
  });
}

interface ProbeTally {
  ok: number;
  refused: number;
  errors: number;
  errorKinds: Record<string, number>;
  maxMs: number;
}

/** Runs `during` while a prober hammers `port`; returns its tallies. */
async function probed(port: number, during: () => Promise<void>): Promise<ProbeTally> {
  const prober = node(PROBER, [port, 2]);
  const result = output(prober);
  try {
    await during();
  } finally {
    prober.stdin!.end();
  }
  return JSON.parse(await result) as ProbeTally;
}

const quietDoor = (port: number): FrontDoor => createFrontDoor({ port, allowedOrigins: () => [], log: () => {} });

function listeningCount(gateway: ReferenceGatewayProcess): number {
  return gateway.stdout().match(/listening on/g)?.length ?? 0;
}

async function restartDirect(restarts: number): Promise<ProbeTally> {
  const port = await freePort();
  let gateway = await startReferenceGateway({ port, token: TOKEN });
  try {
    return await probed(port, async () => {
      for (let i = 0; i < restarts; i++) {
        await gateway.stop();
        gateway = await startReferenceGateway({ port, token: TOKEN });
        await settle();
      }
    });
  } finally {
    await gateway.stop();
  }
}

async function restartBlueGreen(restarts: number): Promise<{ tally: ProbeTally; longestHoldMs: number }> {
  const door = quietDoor(await freePort());
  await door.listen();
  let gateway = await startReferenceGateway({ port: await freePort(), token: TOKEN, waitFor: 'ready' });
  door.setTarget(Number(gateway.stdout().match(/listening on 127\.0\.0\.1:(\d+)/)![1]));
  try {
    const tally = await probed(door.status().listenPort, async () => {
      for (let i = 0; i < restarts; i++) {
        const port = await freePort();
        const next = await startReferenceGateway({ port, token: TOKEN, waitFor: 'ready' });
        const previous = door.status().internalPort!;
        door.setTarget(port);
        await door.drained(previous, 2_000);
        await gateway.stop();
        gateway = next;
        await settle();
      }
    });
    return { tally, longestHoldMs: door.status().longestHoldMs };
  } finally {
    await door.close();
    await gateway.stop();
  }
}

/** SIGUSR2: the gateway closes its port for the restart gap and listens again (same pid). */
async function restartInProcess(restarts: number, behindDoor: boolean): Promise<{ tally: ProbeTally; longestHoldMs?: number; longestGapMs: number }> {
  const internal = await freePort();
  const gateway = await startReferenceGateway({ port: internal, token: TOKEN });
  const door = behindDoor ? quietDoor(await freePort()) : undefined;
  try {
    if (door) {
      await door.listen();
      door.setTarget(internal);
    }
    let longestGapMs = 0;
    const tally = await probed(door?.status().listenPort ?? internal, async () => {
      for (let i = 0; i < restarts; i++) {
        const before = listeningCount(gateway);
        const signalled = performance.now();
        process.kill(gateway.pid, 'SIGUSR2');
        await waitFor(() => listeningCount(gateway) > before, { intervalMs: 2, what: 'the in-process restart' });
        longestGapMs = Math.max(longestGapMs, performance.now() - signalled);
        await settle();
      }
    });
    return { tally, longestHoldMs: door?.status().longestHoldMs, longestGapMs };
  } finally {
    await door?.close();
    await gateway.stop();
  }
}

interface WsFigures {
  p50: number;
  p99: number;
  mibPerSec: number;
}

/**
 * The least a relay can do, for reference: `pipe()` both ways with Nagle off, no Origin check,
 * no hold, no hygiene. The gap between it and the door is the door's own cost; the gap between it
 * and direct is the cost of any user-space relay on this machine.
 */
async function plainPipeProxy(target: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: target, noDelay: true });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const ROUTES = ['direct', 'door', 'pipe'] as const;
type Route = (typeof ROUTES)[number];
interface RouteFigures extends WsFigures {
  /** CPU this process (the door, or the pipe relay) spent per round trip, µs; 0 for direct. */
  cpuUsPerRoundTrip: number;
}

/**
 * Rounds against one echo server. Latency: one client takes its round trips over every route in
 * turn (blocks of 100), so placement of processes on vCPUs — which alone moves a direct round trip
 * between ~30 and ~100 µs on this VM — is the same for every route. Then, per route: a client alone
 * (for the relay's CPU per round trip) and throughput.
 */
async function overhead(rounds: number, rttMessages: number, throughputMs: number): Promise<Record<Route, RouteFigures[]>> {
  const echoPort = await freePort();
  const echo = node(ECHO_SERVER, [echoPort]);
  const door = quietDoor(await freePort());
  let pipe: Awaited<ReturnType<typeof plainPipeProxy>> | undefined;
  try {
    await firstLine(echo);
    await door.listen();
    door.setTarget(echoPort);
    pipe = await plainPipeProxy(echoPort);
    const ports: Record<Route, number> = { direct: echoPort, door: door.status().listenPort, pipe: pipe.port };
    const run = async <T>(mode: 'rtt' | 'tput', amount: number, routes: readonly Route[]) =>
      JSON.parse(await output(node(WS_CLIENT, [mode, amount, ...routes.map((route) => ports[route])]))) as T;
    const figures: Record<Route, RouteFigures[]> = { direct: [], door: [], pipe: [] };
    for (let i = 0; i < rounds; i++) {
      const latencies = await run<Array<Pick<WsFigures, 'p50' | 'p99'>>>('rtt', rttMessages, ROUTES);
      for (const [index, route] of ROUTES.entries()) {
        let cpuUsPerRoundTrip = 0;
        if (route !== 'direct') {
          const cpu = process.cpuUsage();
          await run('rtt', rttMessages, [route]);
          const used = process.cpuUsage(cpu);
          cpuUsPerRoundTrip = (used.user + used.system) / (rttMessages + 200);
        }
        const { mibPerSec } = await run<Pick<WsFigures, 'mibPerSec'>>('tput', throughputMs, [route]);
        figures[route].push({ ...latencies[index]!, mibPerSec, cpuUsPerRoundTrip });
      }
    }
    return figures;
  } finally {
    await door.close();
    await pipe?.close();
    echo.kill();
  }
}

/** Gateway `health` RPC round trips, direct vs through the door, alternating rounds. */
async function rpcOverhead(rounds: number, calls: number): Promise<{ direct: WsFigures[]; door: WsFigures[] }> {
  const internal = await freePort();
  const gateway = await startReferenceGateway({ port: internal, token: TOKEN, waitFor: 'ready' });
  const door = quietDoor(await freePort());
  try {
    await door.listen();
    door.setTarget(internal);
    const measure = async (port: number) => ({
      ...(JSON.parse(await output(tsNode(RPC_CLIENT, [port, calls], { BENCH_TOKEN: TOKEN }))) as WsFigures),
      mibPerSec: 0,
    });
    const direct: WsFigures[] = [];
    const through: WsFigures[] = [];
    for (let i = 0; i < rounds; i++) {
      direct.push(await measure(internal));
      through.push(await measure(door.status().listenPort));
    }
    return { direct, door: through };
  } finally {
    await door.close();
    await gateway.stop();
  }
}

async function idleCost(windowMs: number, connections: number): Promise<{ cpuMs: number; rssStartMiB: number; rssEndMiB: number }> {
  const echoPort = await freePort();
  const echo = node(ECHO_SERVER, [echoPort]);
  const door = quietDoor(await freePort());
  let clients: ChildProcess | undefined;
  try {
    await firstLine(echo);
    await door.listen();
    door.setTarget(echoPort);
    clients = node(IDLE_CLIENTS, [door.status().listenPort, connections]);
    await firstLine(clients);
    await waitFor(() => door.status().pipedConnections === connections, { what: 'idle connections piped' });
    const rssStart = process.memoryUsage().rss;
    const cpu = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const used = process.cpuUsage(cpu);
    return { cpuMs: (used.user + used.system) / 1000, rssStartMiB: rssStart / 2 ** 20, rssEndMiB: process.memoryUsage().rss / 2 ** 20 };
  } finally {
    clients?.stdin!.end();
    if (clients) await new Promise((resolve) => clients!.once('exit', resolve));
    await door.close();
    echo.kill();
  }
}

const errorsOf = (tally: ProbeTally) => (tally.errors === 0 ? 0 : `${tally.errors} ${JSON.stringify(tally.errorKinds)}`);

export async function benchFrontDoor(options: FrontDoorBenchOptions = {}): Promise<BenchResult> {
  const { restarts = 5, rounds = 5, rttMessages = 5_000, throughputMs = 2_000, idleWindowMs = 60_000, idleConnections = 4 } = options;
  const direct = await restartDirect(restarts);
  const blueGreen = await restartBlueGreen(restarts);
  const usr2Direct = await restartInProcess(restarts, false);
  const usr2Door = await restartInProcess(restarts, true);
  const ws = await overhead(rounds, rttMessages, throughputMs);
  const rpc = await rpcOverhead(rounds, Math.ceil(rttMessages / 5));
  const idle = await idleCost(idleWindowMs, idleConnections);

  const pick = <F extends WsFigures>(figures: F[], key: keyof F) => median(figures.map((figure) => figure[key] as number));
  const [p50Direct, p50Door] = [pick(ws.direct, 'p50'), pick(ws.door, 'p50')];
  const [p99Direct, p99Door] = [pick(ws.direct, 'p99'), pick(ws.door, 'p99')];
  const [tputDirect, tputDoor] = [pick(ws.direct, 'mibPerSec'), pick(ws.door, 'mibPerSec')];
  return {
    'restart stop→start direct: refused per restart': round(direct.refused / restarts),
    'restart blue/green via front door: refused per restart (goal 0)': round(blueGreen.tally.refused / restarts),
    'restart blue/green via front door: other client errors (goal 0)': errorsOf(blueGreen.tally),
    'restart blue/green via front door: longest client wait ms': round(blueGreen.tally.maxMs),
    'restart blue/green via front door: probes answered': blueGreen.tally.ok,
    'in-process restart (SIGUSR2, 300 ms gap) direct: refused per restart': round(usr2Direct.tally.refused / restarts),
    'in-process restart via front door: refused per restart (goal 0)': round(usr2Door.tally.refused / restarts),
    'in-process restart via front door: other client errors (goal 0)': errorsOf(usr2Door.tally),
    'in-process restart via front door: longest client wait ms': round(usr2Door.tally.maxMs),
    'in-process restart via front door: longest gateway port gap ms (signal → listening again)': round(usr2Door.longestGapMs),
    'in-process restart via front door: longest held ms (door)': usr2Door.longestHoldMs ?? 0,
    'ws round trip p50 µs direct': round(p50Direct),
    'ws round trip p50 µs front door': round(p50Door),
    'ws round trip p50 ratio (goal ≤ 1.3)': round(p50Door / p50Direct, 2),
    'ws round trip p50 µs plain pipe() relay (reference)': round(pick(ws.pipe, 'p50')),
    'ws round trip p50 ratio plain pipe() relay': round(pick(ws.pipe, 'p50') / p50Direct, 2),
    'ws round trip p99 µs direct': round(p99Direct),
    'ws round trip p99 µs front door': round(p99Door),
    'ws round trip p99 ratio': round(p99Door / p99Direct, 2),
    'relay CPU µs per round trip: front door / plain pipe()': [ws.door, ws.pipe]
      .map((figures) => round(pick(figures, 'cpuUsPerRoundTrip')))
      .join(' / '),
    'gateway health RPC round trip p50 µs direct': round(pick(rpc.direct, 'p50')),
    'gateway health RPC round trip p50 µs front door': round(pick(rpc.door, 'p50')),
    'gateway health RPC round trip p50 ratio': round(pick(rpc.door, 'p50') / pick(rpc.direct, 'p50'), 2),
    'gateway health RPC round trip p99 ratio': round(pick(rpc.door, 'p99') / pick(rpc.direct, 'p99'), 2),
    'ws 64 KiB throughput MiB/s direct': round(tputDirect),
    'ws 64 KiB throughput MiB/s front door': round(tputDoor),
    'ws 64 KiB throughput ratio (goal ≥ 0.8)': round(tputDoor / tputDirect, 2),
    'ws 64 KiB throughput MiB/s plain pipe() relay (reference)': round(pick(ws.pipe, 'mibPerSec')),
    [`idle front door, ${idleConnections} idle ws connections, window s`]: round(idleWindowMs / 1000),
    'idle front door: CPU ms over the window': round(idle.cpuMs),
    'idle front door: CPU %': round((idle.cpuMs / idleWindowMs) * 100, 3),
    'idle front door: RSS MiB start → end': `${round(idle.rssStartMiB)} → ${round(idle.rssEndMiB)}`,
  };
}
