// The chaos command itself, run for real: a short soak passes with a meaningful summary, and a
// Ctrl+C in the middle leaves nothing of the run behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChaosSummary } from '../../scripts/chaos/run';
import { waitFor } from '../helpers/wait';

const ROOT = path.resolve(__dirname, '../..');
const started: ChildProcess[] = [];

function startChaos(args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/chaos.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Processes carrying the run tag of the chaos process `pid` (its twin, gateways, workers). */
function runProcesses(pid: number): number[] {
  const prefix = `PINCER_CHAOS_RUN=${pid}-`;
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return readFileSync(`/proc/${name}/environ`, 'utf8')
          .split('\0')
          .some((entry) => entry.startsWith(prefix));
      } catch {
        return false;
      }
    })
    .map(Number);
}

afterEach(async () => {
  // A failed test still leaves nothing: the driver's own Ctrl+C path first, then SIGKILL by run tag.
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    }
    for (const pid of runProcesses(child.pid!)) process.kill(pid, 'SIGKILL');
  }
}, 90_000);

describe('npm run chaos', () => {
  it('a short soak (8 faults, seed 18) passes: no violations, every fault converged, a client hammered throughout', async () => {
    // Seed 18: exit 78, TIME_WAIT leftovers ×2, interleaved intents ×2, the supervisor killed -9 ×2,
    // a gateway killed -9 mid-start.
    const run = startChaos(['--faults', '8', '--seed', '18', '--json-only']);
    const code = await run.exited;
    const lines = run.stdout().trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]!) as ChaosSummary;
    expect(summary.violations, run.stderr()).toEqual([]);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ faults: 8, seed: 18, gateway: 'reference' });
    expect(Object.fromEntries(Object.entries(summary.perKind).map(([kind, stats]) => [kind, stats.count]))).toEqual({
      kill9: 1,
      'exit-78': 1,
      'time-wait': 2,
      interleave: 2,
      'twin-kill9': 2,
    });
    expect(summary.worstConvergenceMs).toBeGreaterThan(0);
    expect(summary.worstConvergenceMs).toBeLessThan(30_000);
    expect(summary.client.requests).toBeGreaterThan(100);
    expect(summary.client.ok).toBeGreaterThan(0);
    expect(summary.refusals.total).toBe(summary.refusals.unavoidable + summary.refusals.avoidable);
    // The front door is on by default: no client failure that a restart could have avoided.
    expect(summary.frontDoor).toBe(true);
    expect(summary.refusals.avoidable).toBe(0);
    expect(runProcesses(run.child.pid!)).toEqual([]);
  }, 240_000);

  it('Ctrl+C mid-run stops the twin, its gateways and workers, and exits 130', async () => {
    const run = startChaos(['--faults', '40', '--seed', '9']);
    await waitFor(() => /\[ *1\/40\]/.test(run.stderr()), { timeoutMs: 120_000, what: 'the first fault to finish' });
    // The twin and a gateway at least (between two faults the gateway may be restarting).
    await waitFor(() => runProcesses(run.child.pid!).length >= 2, { what: 'the twin and its gateway' });
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(runProcesses(run.child.pid!)).toEqual([]);
  }, 240_000);

  it('a bad command line → usage on stderr, exit 2, nothing started', async () => {
    const run = startChaos(['--faults', 'lots']);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toMatch(/--faults must be a whole number/);
    expect(run.stdout()).toBe('');
  });
});
