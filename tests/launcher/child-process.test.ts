import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createChildProcessLauncher } from '../../electron/core/launcher/child-process';
import type { ExitEvent, GatewayProcess, LaunchSpec } from '../../electron/core/launcher/types';
import { MAX_LINE_LENGTH } from '../../electron/core/process/line-splitter';
import { isAlive } from '../../electron/core/process/tree';
import { waitFor } from '../helpers/wait';
import { killTracked, track, waitAllDead } from '../process/node-scripts';

const launcher = createChildProcessLauncher();
const launched: GatewayProcess[] = [];
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pincer-launcher-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(launched.splice(0).map((child) => child.kill().catch(() => {})));
  killTracked();
});

interface Recorded {
  process: GatewayProcess;
  lines: Array<{ stream: 'stdout' | 'stderr'; line: string }>;
  exits: ExitEvent[];
  errors: Error[];
  spawns: number[];
  /** Resolves with the first line matching pattern. */
  line(pattern: RegExp): Promise<string>;
  exited: Promise<ExitEvent>;
}

function launch(spec: Partial<LaunchSpec> & Pick<LaunchSpec, 'file'>): Recorded {
  const child = launcher.launch({ mode: 'spawn', args: [], env: {}, serviceName: 'pincer-test', ...spec });
  launched.push(child);
  const recorded: Recorded = {
    process: child,
    lines: [],
    exits: [],
    errors: [],
    spawns: [],
    line: (pattern) => waitFor(() => recorded.lines.find((entry) => pattern.test(entry.line))?.line, { what: `a line matching ${pattern}` }),
    exited: new Promise((resolve) => child.onExit(resolve)),
  };
  child.onLine((stream, line) => recorded.lines.push({ stream, line }));
  child.onExit((exit) => recorded.exits.push(exit));
  child.onError((error) => recorded.errors.push(error));
  child.onSpawn((pid) => recorded.spawns.push(pid));
  return recorded;
}

/** `node -e code ...args` through the launcher's spawn mode. */
const node = (code: string, args: string[] = [], env: Record<string, string> = {}): Recorded =>
  launch({ file: process.execPath, args: ['-e', code, ...args], env });

const IGNORE_TERM = `process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('ready'); setInterval(() => {}, 1000);`;

describe('child_process launcher', () => {
  test('drains stdout and stderr line by line and reports the exit code', async () => {
    const child = node(`console.log('out 1\\nout 2'); console.error('err 1'); process.exitCode = 7;`);
    const exit = await child.exited;
    expect(exit).toEqual({ code: 7, signal: null });
    expect(child.lines.filter((entry) => entry.stream === 'stdout').map((entry) => entry.line)).toEqual(['out 1', 'out 2']);
    expect(child.lines.filter((entry) => entry.stream === 'stderr').map((entry) => entry.line)).toEqual(['err 1']);
    expect(child.spawns).toEqual([child.process.pid]);
    expect(child.errors).toEqual([]);
  });

  test('reports a death by signal', async () => {
    const child = node(`console.log('ready'); setInterval(() => {}, 1000);`);
    await child.line(/ready/);
    process.kill(child.process.pid!, 'SIGKILL');
    expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });

  test('fork mode runs a JS entry with the chosen Node executable, exactly the given env, and the cwd', async () => {
    const entry = path.join(dir, 'entry.cjs');
    writeFileSync(
      entry,
      `console.log(JSON.stringify({ exec: process.execPath, args: process.argv.slice(2), env: process.env, cwd: process.cwd() }));`,
    );
    const child = launch({ mode: 'fork', file: entry, args: ['--port', '1234'], execPath: process.execPath, env: { PINCER_X: 'y' }, cwd: dir });
    await child.exited;
    const seen = JSON.parse(child.lines[0]!.line);
    expect(seen.exec).toBe(process.execPath);
    expect(seen.args).toEqual(['--port', '1234']);
    expect(seen.env).toEqual({ PINCER_X: 'y' });
    expect(seen.cwd).toBe(dir);
  });

  test('a secret passed in env stays out of argv', async () => {
    const secret = `tok-${Math.random().toString(36).slice(2)}-${Date.now()}`;
    const child = node(`console.log('ready ' + (process.env.OPENCLAW_GATEWAY_TOKEN.length)); setInterval(() => {}, 1000);`, [], {
      OPENCLAW_GATEWAY_TOKEN: secret,
    });
    await child.line(/^ready \d+$/);
    const pid = child.process.pid!;
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(secret);
    expect(readFileSync(`/proc/${pid}/environ`, 'utf8')).toContain(`OPENCLAW_GATEWAY_TOKEN=${secret}`);
  });

  test('keeps partial lines until they end; CRLF and split UTF-8 are handled; a final unterminated line is delivered', async () => {
    const child = node(`
      const euro = Buffer.from('€');
      process.stdout.write('par');
      setTimeout(() => process.stdout.write(Buffer.concat([Buffer.from('tial\\r\\n'), euro.subarray(0, 1)])), 50);
      setTimeout(() => process.stdout.write(Buffer.concat([euro.subarray(1), Buffer.from('uro\\nno newline at the end')])), 100);
    `);
    await child.exited;
    expect(child.lines.map((entry) => entry.line)).toEqual(['partial', '€uro', 'no newline at the end']);
  });

  test('a flood on both streams does not block the child, and no line exceeds the cap', async () => {
    // 16 MiB of lines on each stream plus one 1 MiB line without any newline, as fast as it can.
    const child = node(`
      const line = 'x'.repeat(1023) + '\\n';
      const block = line.repeat(1024);
      for (let i = 0; i < 16; i += 1) { process.stdout.write(block); process.stderr.write(block); }
      process.stderr.write('y'.repeat(1024 * 1024));
    `);
    const started = Date.now();
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(30_000);
    const stdout = child.lines.filter((entry) => entry.stream === 'stdout');
    const stderr = child.lines.filter((entry) => entry.stream === 'stderr');
    expect(stdout).toHaveLength(16 * 1024);
    expect(stderr).toHaveLength(16 * 1024 + (1024 * 1024) / MAX_LINE_LENGTH);
    expect(Math.max(...child.lines.map((entry) => entry.line.length))).toBe(MAX_LINE_LENGTH);
  });

  test('stop(): SIGTERM, and a child that exits on it is done well within the grace period', async () => {
    const child = node(`process.on('SIGTERM', () => { console.log('bye'); process.exit(0); }); console.log('ready'); setInterval(() => {}, 1000);`);
    await child.line(/ready/);
    const started = Date.now();
    expect(await child.process.stop({ graceMs: 10_000 })).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(child.lines.at(-1)?.line).toBe('bye');
  });

  test('stop(): a child ignoring SIGTERM is killed with SIGKILL once the grace period is over', async () => {
    const child = node(IGNORE_TERM);
    await child.line(/ready/);
    const started = Date.now();
    const exit = await child.process.stop({ graceMs: 400, confirmMs: 5_000 });
    const elapsed = Date.now() - started;
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await child.line(/ignoring SIGTERM/)).toBeTruthy();
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(400 + 5_000);
  });

  test('stop(): a SIGSTOPped child still gets to act on SIGTERM (SIGCONT follows)', async () => {
    const child = node(`console.log('ready'); setInterval(() => {}, 1000);`);
    await child.line(/ready/);
    process.kill(child.process.pid!, 'SIGSTOP');
    expect(await child.process.stop({ graceMs: 10_000 })).toEqual({ code: null, signal: 'SIGTERM' });
  });

  test('stop() ends the whole tree: a grandchild ignoring SIGTERM is gone too', async () => {
    const child = node(`
      const grandchild = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(IGNORE_TERM)}], { stdio: 'ignore' });
      process.on('SIGTERM', () => {});
      console.log('grandchild ' + grandchild.pid);
      setInterval(() => {}, 1000);
    `);
    const grandchild = Number((await child.line(/^grandchild \d+$/)).split(' ')[1]);
    track(grandchild);
    expect(isAlive(grandchild)).toBe(true);
    expect(await child.process.stop({ graceMs: 200 })).toEqual({ code: null, signal: 'SIGKILL' });
    await waitAllDead([grandchild]);
  });

  test('a gateway that crashes on its own takes no orphans with it: its leftover workers are ended', async () => {
    const child = node(`
      const worker = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      console.log('worker ' + worker.pid);
      setTimeout(() => process.exit(3), 100);
    `);
    const worker = Number((await child.line(/^worker \d+$/)).split(' ')[1]);
    track(worker);
    expect(await child.exited).toEqual({ code: 3, signal: null });
    await waitAllDead([worker]);
  });

  test('onExit fires exactly once, whatever mix of stop() and kill() races, and late listeners still hear it', async () => {
    const child = node(IGNORE_TERM);
    await child.line(/ready/);
    const results = await Promise.all([
      child.process.stop({ graceMs: 300 }),
      child.process.stop({ graceMs: 300 }),
      child.process.kill(),
      child.process.stop(),
      child.process.kill(),
    ]);
    const expected = { code: null, signal: 'SIGKILL' };
    expect(results).toEqual(Array(5).fill(expected));
    expect(child.exits).toEqual([expected]);
    expect(await child.process.stop()).toEqual(expected); // after the exit: the same answer at once
    const late: ExitEvent[] = [];
    child.process.onExit((exit) => late.push(exit));
    expect(late).toEqual([expected]);
    expect(child.exits).toHaveLength(1);
  });

  test('kill() is immediate: no grace period', async () => {
    const child = node(IGNORE_TERM);
    await child.line(/ready/);
    const started = Date.now();
    expect(await child.process.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(child.lines.some((entry) => entry.line === 'ignoring SIGTERM')).toBe(false);
  });

  test('a missing executable: onError with a clear message, then onExit once; stop() and kill() resolve', async () => {
    const missing = path.join(dir, 'no-such-gateway');
    const child = launch({ file: missing });
    const exit = await child.exited;
    expect(exit).toEqual({ code: null, signal: null });
    expect(child.errors).toHaveLength(1);
    expect(child.errors[0]!.message).toBe(`Cannot start the gateway: "${missing}" was not found (ENOENT).`);
    expect((child.errors[0] as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(child.spawns).toEqual([]);
    expect(child.process.pid).toBeUndefined();
    expect(await child.process.stop()).toEqual(exit);
    expect(await child.process.kill()).toEqual(exit);
    expect(child.exits).toHaveLength(1);
  });

  test('a file that is not executable: EACCES, named plainly', async () => {
    const file = path.join(dir, 'not-executable');
    writeFileSync(file, '#!/bin/sh\n', { mode: 0o644 });
    const child = launch({ file });
    await child.exited;
    expect(child.errors[0]!.message).toBe(`Cannot start the gateway: "${file}" is not executable (permission denied) (EACCES).`);
  });

  test.each([
    ['a missing fork entry', { mode: 'fork' as const, file: '/nonexistent/gateway.js' }, /entry script "\/nonexistent\/gateway.js" was not found/],
    [
      'a missing cwd (Node would blame the executable)',
      { file: process.execPath, cwd: '/nonexistent-dir' },
      /working directory "\/nonexistent-dir" does not exist/,
    ],
    ['a non-string env value', { file: process.execPath, env: { X: 1 as unknown as string } }, /environment values must be strings/],
    ['an argument with a NUL byte', { file: process.execPath, args: ['a\0b'] }, /could not be run/],
  ])('bad spec, %s: a clear error, never a throw', async (_, spec, message) => {
    const child = launch(spec);
    expect(await child.exited).toEqual({ code: null, signal: null });
    expect(child.errors[0]?.message).toMatch(message);
  });

  test('bad stop options are a clear rejection, and the child is left alone', async () => {
    const child = node(`console.log('ready'); setInterval(() => {}, 1000);`);
    await child.line(/ready/);
    await expect(child.process.stop({ graceMs: -1 })).rejects.toThrow(/graceMs must be a non-negative number/);
    await expect(child.process.kill({ confirmMs: Number.NaN })).rejects.toThrow(/confirmMs/);
    expect(isAlive(child.process.pid!)).toBe(true);
  });
});
