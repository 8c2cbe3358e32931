// Each invariant checker of the chaos soak, shown to fail when it should — on real processes,
// real sockets and real Node crash output where the condition can be made for real.
import { status } from '../dashboard/fixtures';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayStatus } from '../../electron/core/status';
import { isAlive } from '../../electron/core/process/tree';
import {
  checkHeldSockets,
  checkOneTreePerPort,
  checkOrphans,
  checkSingleGeneration,
  findCrashReports,
  judgeTruth,
} from '../../scripts/chaos/invariants';
import { scanRun, socketsHeldBy, taggedPidsSync, type ProcInfo, type RunSnapshot } from '../../scripts/chaos/procscan';
import { freePort } from '../helpers/ports';
import { buildReferenceGateway, startReferenceGateway, stopAllReferenceGateways } from '../helpers/reference-gateway';
import { waitFor } from '../helpers/wait';

const tag = { name: 'PINCER_CHAOS_RUN', value: `test-${crypto.randomBytes(6).toString('hex')}` };
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await stopAllReferenceGateways();
  // Whatever carries this file's tag (an orphan's worker survives the orphan's SIGKILL).
  await Promise.all(taggedPidsSync(tag).map(killAndWait));
});

function run(
  script: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function killAndWait(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return Promise.resolve();
  }
  return waitFor(() => !isAlive(pid), { what: `pid ${pid} to die` }).then(() => undefined);
}

function baseStatus(overrides: Partial<GatewayStatus>): GatewayStatus {
  return status({ port: 1, at: Date.now(), ...overrides });
}

describe('orphans', () => {
  it('a reference gateway whose parent died (ppid 1) is reported; one with a living parent of the run is not', async () => {
    const bundle = await buildReferenceGateway();
    const port = await freePort();
    // The middle process starts the gateway detached and exits at once: the gateway is orphaned.
    const launcher = `
      const child = require('node:child_process').spawn(process.execPath, [process.argv[1], '--port', process.argv[2]], { detached: true, stdio: 'ignore' });
      console.log(child.pid); child.unref();`;
    const env = { ...process.env, [tag.name]: tag.value, OPENCLAW_GATEWAY_TOKEN: 'orphan-test-token', PINCER_REFGW_SPAWN_WORKER: '1' };
    const { stdout } = await run(launcher, [bundle, String(port)], env);
    const orphan = Number(stdout.trim());

    const snapshot = await waitFor(
      async () => {
        const scan = await scanRun(tag, []);
        const gateway = scan.processes.find((p) => p.pid === orphan);
        // The worker, too, must be seen before judging (it is the gateway's child, not an orphan).
        return gateway?.listening.includes(port) && scan.processes.length >= 2 ? scan : undefined;
      },
      { what: 'the orphaned gateway listening, with its worker' },
    );
    const problems = checkOrphans(snapshot, [process.pid]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`pid ${orphan}`);
    expect(snapshot.processes.find((p) => p.pid === orphan)?.ppid).not.toBe(process.pid);

    // The same gateway started by this process (a living parent the run allows) is no orphan.
    const own = await startReferenceGateway({ port: await freePort(), token: 't', env: { [tag.name]: `${tag.value}-own` } });
    const ownSnapshot = await scanRun({ ...tag, value: `${tag.value}-own` }, []);
    expect(ownSnapshot.processes.map((p) => p.pid)).toContain(own.pid);
    expect(checkOrphans(ownSnapshot, [process.pid])).toEqual([]);
  });
});

describe('sockets', () => {
  it('a socket this process leaves in CLOSE_WAIT on the port is reported, and no longer once closed', async () => {
    const port = await freePort();
    // A server in another process that closes every connection first.
    const server = spawn(
      process.execPath,
      [
        '-e',
        "require('node:net').createServer((s) => { s.on('error', () => {}); s.end(); }).listen(Number(process.argv[1]), '127.0.0.1', () => console.log('up'))",
        String(port),
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    cleanups.push(() => void server.kill('SIGKILL'));
    await new Promise((resolve) => server.stdout!.once('data', resolve));
    // allowHalfOpen: we never answer the server's FIN, so our side sits in CLOSE_WAIT.
    const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    socket.on('error', () => {});
    cleanups.push(() => void socket.destroy());
    const held = await waitFor(
      async () => {
        const sockets = await socketsHeldBy(process.pid, new Set([port]));
        return sockets.some((s) => s.state === 'CLOSE_WAIT') ? sockets : undefined;
      },
      { what: 'our socket in CLOSE_WAIT' },
    );
    const problems = checkHeldSockets(held);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/1 CLOSE_WAIT/);

    socket.destroy();
    await waitFor(async () => checkHeldSockets(await socketsHeldBy(process.pid, new Set([port]))).length === 0, { what: 'the socket to be gone' });
    expect(checkHeldSockets([{ localPort: port, remotePort: 5, state: 'FIN_WAIT2' }])[0]).toMatch(/1 FIN_WAIT2/);
  });
});

describe('the status against /proc', () => {
  it('the truth passes; a lying pid, port, state or error code is caught', async () => {
    const port = await freePort();
    const gateway = await startReferenceGateway({ port, token: 't', env: { [tag.name]: tag.value, PINCER_REFGW_SPAWN_WORKER: '1' } });
    const snapshot = await waitFor(
      async () => {
        const scan = await scanRun(tag, []);
        return scan.processes.length >= 2 ? scan : undefined;
      },
      { what: 'the gateway and its worker' },
    );
    const facts = (status: Partial<GatewayStatus>) => ({ status: baseStatus({ port, ...status }), snapshot, twinPid: process.pid });

    expect(judgeTruth(facts({ pid: gateway.pid }), [{ state: 'running' }])).toBeUndefined();
    expect(judgeTruth(facts({ pid: process.pid }), [{ state: 'running' }])).toMatch(/not a live gateway process/);
    expect(judgeTruth(facts({ pid: undefined }), [{ state: 'running' }])).toMatch(/names no pid/);
    expect(judgeTruth(facts({ pid: gateway.pid, port: port + 1 }), [{ state: 'running' }])).toMatch(/listening on \[/);
    expect(judgeTruth(facts({ pid: gateway.pid }), [{ state: 'running', notPid: gateway.pid }])).toMatch(/expected a new generation/);
    expect(judgeTruth(facts({ pid: gateway.pid }), [{ state: 'running', env: { PINCER_CHAOS_MARK: '7' } }])).toMatch(/PINCER_CHAOS_MARK=\(unset\)/);
    expect(judgeTruth(facts({ state: 'stopped', pid: undefined }), [{ state: 'stopped' }])).toMatch(/gateway process\(es\) of this run live/);
    const portInUse = { code: 'PORT_IN_USE' as const, message: 'x', hint: 'y' };
    expect(judgeTruth(facts({ state: 'error', pid: undefined, error: portInUse }), [{ state: 'error', codes: ['PORT_IN_USE'] }])).toBeUndefined();
    expect(judgeTruth(facts({ state: 'error', pid: undefined, error: portInUse }), [{ state: 'error', codes: ['CRASH_LOOP'] }])).toMatch(
      /error PORT_IN_USE, expected CRASH_LOOP/,
    );
    // A flapping control connection: reconnecting to the same live gateway counts only when allowed.
    expect(judgeTruth(facts({ state: 'reconnecting', pid: gateway.pid }), [{ state: 'running' }])).toMatch(/state reconnecting, expected running/);
    expect(judgeTruth(facts({ state: 'reconnecting', pid: gateway.pid }), [{ state: 'running', orReconnecting: true }])).toBeUndefined();
    expect(judgeTruth(facts({ state: 'reconnecting', pid: process.pid }), [{ state: 'running', orReconnecting: true }])).toMatch(
      /not a live gateway process/,
    );
    // Either of two accepted outcomes will do.
    expect(judgeTruth(facts({ pid: gateway.pid }), [{ state: 'stopped' }, { state: 'running' }])).toBeUndefined();
  });
});

describe('gateway trees', () => {
  const proc = (pid: number, ppid: number, listening: number[] = []): ProcInfo => ({
    pid,
    ppid,
    state: 'S',
    command: `gw ${pid}`,
    listening,
    env: {},
  });
  const snapshot = (processes: ProcInfo[]): RunSnapshot => ({ at: 0, processes, supervisors: [] });

  it.each([
    ['one tree, parent and worker share the inherited listener', [proc(10, 1, [5000]), proc(11, 10, [5000])], 0, 0],
    ['two trees on one port', [proc(10, 1, [5000]), proc(20, 1, [5000]), proc(21, 20)], 1, 1],
    ['two generations on different ports (a duplicate after settle)', [proc(10, 1, [5000]), proc(20, 1, [5001])], 0, 1],
    ['a tree that does not listen (stopping) next to one that does', [proc(10, 1), proc(20, 1, [5001])], 0, 0],
  ])('%s', (_name, processes, perPort, generations) => {
    expect(checkOneTreePerPort(snapshot(processes))).toHaveLength(perPort);
    expect(checkSingleGeneration(snapshot(processes))).toHaveLength(generations);
  });
});

describe('crash reports', () => {
  it.each([
    ['an unhandled rejection', "Promise.reject(new Error('chaos boom'))"],
    ['a rejection with a non-Error reason', "Promise.reject('plain reason')"],
    ['an uncaught exception', "setTimeout(() => { throw new Error('chaos boom'); })"],
    ["an unhandled 'error' event", "new (require('node:events'))().emit('error', new Error('chaos boom'))"],
  ])("Node's real output for %s is found", async (_name, script) => {
    const { code, stderr } = await run(script);
    expect(code).not.toBe(0);
    expect(findCrashReports(stderr).length).toBeGreaterThan(0);
  });

  it('ordinary log lines are not crash reports; a lifecycle bug is', () => {
    expect(findCrashReports('13:00:00.000 › gateway exited (code 1, signal null)\n[gateway] ready')).toEqual([]);
    expect(findCrashReports('x › InvalidTransitionError: invalid lifecycle transition stopped → running')).toHaveLength(1);
  });
});
