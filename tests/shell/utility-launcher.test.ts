// The utilityProcess launcher against real processes (through the fake utilityProcess, which has
// Electron's semantics: exit code only, kill() = SIGTERM only, pid undefined until spawn).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExitEvent, GatewayProcess, LaunchSpec } from '../../electron/core/launcher/types';
import { isAlive } from '../../electron/core/process/tree';
import { createUtilityProcessLauncher, type UtilityProcessModule } from '../../electron/launchers/utility';
import { waitFor } from '../helpers/wait';
import { killStrayChildren, resetElectron, utilityProcess } from './fake-electron';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-utility-'));
const launcher = createUtilityProcessLauncher(utilityProcess as unknown as UtilityProcessModule);
const started: GatewayProcess[] = [];
const pidsToReap: number[] = [];

function script(name: string, source: string): string {
  const file = path.join(dir, `${name}.cjs`);
  fs.writeFileSync(file, source);
  return file;
}

// Scripts announce their worker from a timer, once their handlers are in place: a signal that
// arrives in Node's first moments can still take the default action despite a handler.
const WORKER = `
const { spawn } = require('node:child_process');
function announce(w) { setTimeout(() => console.log('worker ' + w.pid), 300); }
function worker(ignoreTerm) {
  const code = (ignoreTerm ? "process.on('SIGTERM', () => {});" : '') + 'setInterval(() => {}, 1 << 30);';
  return spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
}
`;

const SCRIPTS = {
  talk: script(
    'talk',
    `process.stdout.write('one\\ntwo\\n'); process.stderr.write('err line\\n'); process.stdout.write('partial'); process.exitCode = 3;`,
  ),
  graceful: script(
    'graceful',
    `${WORKER} const w = worker(false);
     process.on('SIGTERM', () => { w.kill('SIGTERM'); w.once('exit', () => process.exit(0)); });
     announce(w); setInterval(() => {}, 1 << 30);`,
  ),
  stubborn: script(
    'stubborn',
    `${WORKER} const w = worker(true); process.on('SIGTERM', () => console.log('ignoring SIGTERM')); announce(w); setInterval(() => {}, 1 << 30);`,
  ),
  careless: script(
    'careless',
    `${WORKER} const w = worker(false); process.on('SIGTERM', () => process.exit(0)); announce(w); setInterval(() => {}, 1 << 30);`,
  ),
};

function launch(file: string, overrides: Partial<LaunchSpec> = {}) {
  const child = launcher.launch({ mode: 'fork', file, args: [], env: { PATH: process.env.PATH ?? '' }, serviceName: 'Pincer Gateway', ...overrides });
  started.push(child);
  const lines: Array<[string, string]> = [];
  child.onLine((stream, line) => lines.push([stream, line]));
  const exit = new Promise<ExitEvent>((resolve) => child.onExit(resolve));
  const errors: Error[] = [];
  child.onError((error) => errors.push(error));
  const workerPid = async () => {
    const line = await waitFor(() => lines.find(([, text]) => text.startsWith('worker ')), { what: 'the worker pid' });
    const pid = Number(line[1].slice('worker '.length));
    pidsToReap.push(pid);
    return pid;
  };
  return { child, lines, exit, errors, workerPid };
}

beforeEach(async () => {
  await resetElectron().whenReady();
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((child) => child.kill().catch(() => undefined)));
  for (const pid of pidsToReap.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  expect(killStrayChildren()).toBe(0);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('utilityProcess launcher', () => {
  it('forks with the pipe stdio and service name, drains both streams line by line, and reports exit(code) with no signal', async () => {
    const { child, lines, exit } = launch(SCRIPTS.talk);
    expect(child.pid).toBeUndefined(); // not before 'spawn'
    const spawnedPid = await new Promise<number>((resolve) => child.onSpawn(resolve));
    expect(await exit).toEqual({ code: 3, signal: null });
    expect(lines).toEqual(
      expect.arrayContaining([
        ['stdout', 'one'],
        ['stdout', 'two'],
        ['stderr', 'err line'],
        ['stdout', 'partial'],
      ]),
    );
    expect(child.pid).toBe(spawnedPid); // still named after the exit (Electron clears its own)
    expect(utilityProcess.forks[0]!.options).toMatchObject({ stdio: 'pipe', serviceName: 'Pincer Gateway' });
  });

  it('stop(): SIGTERM, and a gateway that stops its workers exits within the grace period', async () => {
    const { child, exit, workerPid } = launch(SCRIPTS.graceful);
    const worker = await workerPid();
    const startedAt = Date.now();
    const result = await child.stop({ graceMs: 10_000 });
    expect(result).toEqual({ code: 0, signal: null });
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect(await exit).toEqual(result);
    expect(isAlive(worker)).toBe(false);
  });

  it('stop(): a gateway ignoring SIGTERM is killed with its whole tree after the grace period', async () => {
    const { child, lines, workerPid } = launch(SCRIPTS.stubborn);
    const worker = await workerPid();
    const pid = child.pid!;
    const result = await child.stop({ graceMs: 300, confirmMs: 10_000 });
    expect(lines).toContainEqual(['stdout', 'ignoring SIGTERM']);
    expect(result.signal).toBeNull();
    expect(result.code).toBe(9); // SIGKILL, reported as utilityProcess does: a code, never a signal
    expect(isAlive(pid)).toBe(false);
    await waitFor(() => !isAlive(worker), { what: 'the worker to be gone' });
  });

  it('stop(): workers the gateway leaves behind when it exits are killed too (no process group to reach them)', async () => {
    const { child, workerPid } = launch(SCRIPTS.careless);
    const worker = await workerPid();
    expect(await child.stop({ graceMs: 10_000 })).toEqual({ code: 0, signal: null });
    await waitFor(() => !isAlive(worker), { what: 'the left-behind worker to be killed' });
  });

  it('stop(): a stopped (SIGSTOP) gateway still gets the SIGTERM acted on', async () => {
    const { child, workerPid } = launch(SCRIPTS.graceful);
    await workerPid();
    process.kill(child.pid!, 'SIGSTOP');
    const startedAt = Date.now();
    expect(await child.stop({ graceMs: 10_000 })).toEqual({ code: 0, signal: null });
    expect(Date.now() - startedAt).toBeLessThan(5_000); // acted on, not killed after the grace period
  });

  it('kill(): the whole tree at once; concurrent stop and kill calls join', async () => {
    const { child, workerPid } = launch(SCRIPTS.stubborn);
    const worker = await workerPid();
    const [a, b, c] = await Promise.all([child.kill(), child.kill(), child.stop({ graceMs: 60_000 })]);
    expect(a).toEqual({ code: 9, signal: null });
    expect(b).toBe(a);
    expect(c).toBe(a);
    await waitFor(() => !isAlive(worker), { what: 'the worker to be gone' });
  });

  it.each<[string, Partial<LaunchSpec>, RegExp]>([
    ['an executable (spawn mode)', { mode: 'spawn', file: '/bin/true' }, /only runs JS entries/],
    ['another Node runtime', { execPath: '/usr/bin/node' }, /runs Electron's Node, not "\/usr\/bin\/node"/],
    ['a missing entry', { file: '/nonexistent/gateway.cjs' }, /entry script "\/nonexistent\/gateway.cjs" was not found/],
    ['a missing working directory', { cwd: '/nonexistent-dir' }, /working directory "\/nonexistent-dir" does not exist/],
  ])('refuses %s with a clear error, then reports the exit', async (_name, overrides, message) => {
    const { errors, exit } = launch(SCRIPTS.talk, overrides);
    expect(await exit).toEqual({ code: null, signal: null });
    expect(errors.map((error) => error.message)).toEqual([expect.stringMatching(message)]);
    expect(utilityProcess.forks).toHaveLength(0);
  });

  it('reports a fork before app ready as a start error', async () => {
    resetElectron({ deferReady: true });
    const { errors, exit } = launch(SCRIPTS.talk);
    expect(await exit).toEqual({ code: null, signal: null });
    expect(errors[0]!.message).toMatch(/utilityProcess cannot be created before app is ready/);
  });
});
