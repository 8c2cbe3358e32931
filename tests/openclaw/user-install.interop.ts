// Pincer meets the OpenClaw a user already has: installed globally with npm, onboarded with its own
// token and port, in a private HOME. Pincer runs with default settings (no gateway flags) and must
// find that install, run it with the user's config and token (injecting nothing), keep the user's
// CLI working through the front door, restart it in-process, and leave a gateway the user started
// by hand alone (attached, never killed, never duplicated).
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probePort } from '../../electron/core/port/probe';
import { isAlive, listDescendants } from '../../electron/core/process/tree';
import type { GatewayStatus } from '../../electron/core/status';
import { Hammer } from '../../scripts/chaos/hammer';
import { freePort } from '../helpers/ports';
import { startTwin, type Twin } from '../helpers/twin';
import { waitFor } from '../helpers/wait';
import { createUserSandbox, type UserSandbox } from './user-sandbox';

const VERSION = '2026.9.6';
const figures: Record<string, string> = {};
const ms = (value: number) => `${Math.round(value)} ms`;

async function readyz(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2_000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Milliseconds the port refuses connections after `trigger`, polled every 5 ms until it listens again for good. */
async function portGap(port: number, trigger: () => void, timeoutMs = 60_000): Promise<number> {
  trigger();
  const deadline = Date.now() + timeoutMs;
  let downAt: number | undefined;
  while (Date.now() < deadline) {
    const { listening } = await probePort(port, { timeoutMs: 500 });
    if (!listening && downAt === undefined) downAt = performance.now();
    if (listening && downAt !== undefined) return performance.now() - downAt;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`port ${port} did not come back within ${timeoutMs} ms`);
}

/**
 * Watches a port directly while a restart happens: how long TCP connects were refused, and how long
 * from the first refusal until /healthz answered again (what a client waiting at the door waits for).
 */
function ownGap(port: number) {
  let running = true;
  let downAt: number | undefined;
  let tcpUpAt: number | undefined;
  let httpUpAt: number | undefined;
  const loop = (async () => {
    while (running && httpUpAt === undefined) {
      const { listening } = await probePort(port, { timeoutMs: 500 });
      const now = performance.now();
      if (!listening) downAt ??= now;
      else if (downAt !== undefined) {
        tcpUpAt ??= now;
        const answered = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5_000) }).then(
          (r) => r.ok,
          () => false,
        );
        if (answered) httpUpAt = performance.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      if (downAt === undefined || tcpUpAt === undefined || httpUpAt === undefined) throw new Error(`port ${port} was never seen down and back`);
      return { tcpMs: tcpUpAt - downAt, httpMs: httpUpAt - downAt };
    },
  };
}

function environOf(pid: number): Record<string, string> {
  const raw = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
  return Object.fromEntries(
    raw
      .split('\0')
      .filter(Boolean)
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
}

describe("Pincer with the user's own OpenClaw (global npm install, onboarded)", () => {
  const token = crypto.randomBytes(24).toString('base64url');
  let port: number;
  let sandbox: UserSandbox;
  let twin: Twin | undefined;

  const twinStatus = () => twin!.status();
  const runningWith = (predicate: (status: GatewayStatus) => boolean, what: string, timeoutMs = 150_000) =>
    waitFor(
      async () => {
        const status = await twinStatus();
        return status.state === 'running' && predicate(status) ? status : undefined;
      },
      { timeoutMs, intervalMs: 50, what },
    );
  /** Pincer as the user starts it: default settings, the user's session environment only. */
  const dataDirs: string[] = [];
  const startPincer = async () => {
    const started = await startTwin({ gatewayArgs: [], env: sandbox.env, inheritEnv: false });
    dataDirs.push(started.dataDir);
    return started;
  };

  beforeAll(async () => {
    port = await freePort();
    sandbox = await createUserSandbox({ version: VERSION, port, token });
    if (sandbox.installMs !== undefined) figures['npm install -g openclaw (first run, cached after)'] = ms(sandbox.installMs);
    figures['openclaw onboard'] = ms(sandbox.onboardMs);
    // The first run on a machine installs OpenClaw globally (~650 MB; minutes on a busy machine).
  }, 900_000);

  afterAll(async () => {
    await twin?.stop(60_000);
    sandbox?.remove();
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
    console.log(
      `OpenClaw user-install figures:\n${Object.entries(figures)
        .map(([k, v]) => `  ${k}: ${v}`)
        .join('\n')}`,
    );
  });

  describe('a gateway the user started by hand', () => {
    let hand: ChildProcess;

    afterAll(async () => {
      if (hand?.exitCode === null && hand.signalCode === null) {
        hand.kill('SIGTERM');
        await waitFor(() => hand.exitCode !== null || hand.signalCode !== null, { timeoutMs: 30_000, what: 'the hand-started gateway to exit' });
      }
    });

    it('starts directly (figure: start → ready) and restarts itself in-process on SIGUSR2 (figure: its port gap)', async () => {
      const started = performance.now();
      hand = spawn(path.join(sandbox.prefix, 'bin', 'openclaw'), ['gateway', '--port', String(port), '--bind', 'loopback'], {
        env: { ...sandbox.env, OPENCLAW_NO_RESPAWN: '1' },
        cwd: sandbox.home,
        stdio: 'ignore',
      });
      await waitFor(() => readyz(port), { timeoutMs: 150_000, intervalMs: 25, what: 'the hand-started gateway to be ready' });
      figures['start → ready, OpenClaw run directly'] = ms(performance.now() - started);
      const gap = await portGap(port, () => hand.kill('SIGUSR2'));
      figures["OpenClaw's own in-process restart (SIGUSR2): port gap"] = ms(gap);
      await waitFor(() => readyz(port), { timeoutMs: 60_000, what: 'ready after SIGUSR2' });
      expect(hand.exitCode).toBe(null);
    });

    it('Pincer attaches to it as external (pid, manager), never kills or duplicates it', async () => {
      const attached = await startPincer();
      try {
        twin = attached;
        const status = await runningWith((s) => s.attached, 'attached to the hand-started gateway', 60_000);
        expect(status.pid).toBe(hand.pid);
        expect(status.external).toMatchObject({ pid: hand.pid, manager: 'manual', restart: { how: 'signal' } });
        expect(status.gateway.version).toBe(VERSION);
        expect(await listDescendants(attached.pid)).toEqual([]);
        // Stop on a gateway Pincer did not start and that no service manages is refused, with the reason.
        expect(status.external!.stop).toHaveProperty('disabled');
        // Restart goes through its own means: SIGUSR2, same pid, a new bootId.
        expect((await attached.request('POST', '/api/restart')).status).toBe(202);
        const after = await runningWith((s) => s.lastRestart !== undefined, 'the attached gateway restarted in-process', 120_000);
        expect(after.gateway.bootId).not.toBe(status.gateway.bootId);
        expect(after).toMatchObject({ pid: hand.pid, attached: true, lastRestart: { kind: 'in-process' } });
        expect(await listDescendants(attached.pid)).toEqual([]);
      } finally {
        twin = undefined;
        await attached.stop(60_000);
      }
      expect(isAlive(hand.pid!)).toBe(true);
      expect(await readyz(port)).toBe(true);
      hand.kill('SIGTERM');
      await waitFor(() => hand.exitCode !== null || hand.signalCode !== null, { timeoutMs: 30_000, what: 'the hand-started gateway to exit' });
    });
  });

  describe('Pincer running the user’s install', () => {
    it('finds it with default settings and runs it on the config’s port with the user’s token', async () => {
      const launched = Date.now();
      twin = await startPincer();
      const status = await runningWith(() => true, 'OpenClaw running under Pincer');
      figures['Pincer launched → running'] = ms(Date.now() - launched);
      expect(status.port).toBe(port);
      expect(status.gateway).toMatchObject({ kind: 'openclaw', source: 'user', version: VERSION, path: sandbox.packageDir, auth: 'token' });
      expect(status.gateway.config).toMatchObject({ file: sandbox.configFile, configured: true });
      // Started as the user would (OpenClaw retitles its process, so its argv is not readable here:
      // the launch arguments are checked in tests/packaging/gateway-resolution.test.ts), with no
      // token of Pincer's in its environment.
      expect(environOf(status.pid!).OPENCLAW_GATEWAY_TOKEN).toBeUndefined();
    });

    it('start → ready under Pincer vs directly (figure: what Pincer adds)', async () => {
      expect((await twin!.request('POST', '/api/stop')).status).toBe(202);
      await waitFor(async () => (await twinStatus()).state === 'stopped', { timeoutMs: 60_000, what: 'stopped' });
      const requested = Date.now();
      expect((await twin!.request('POST', '/api/start')).status).toBe(202);
      // What a client feels: its request (held at the door until the gateway is ready) answered.
      const [servedAt, status] = await Promise.all([
        waitFor(async () => (await readyz(port)) && Date.now(), { timeoutMs: 120_000, intervalMs: 5, what: 'served through the door' }),
        runningWith(() => true, 'running again'),
      ]);
      const servedMs = servedAt - requested;
      const runningMs = status.startedAt! - requested;
      // OpenClaw's own spawn → ready in this same run: what it would take started directly.
      const { spawning = 0, 'waiting-ready': waiting = 0, 'probing-port': probing = 0, connecting = 0 } = status.phaseTimings;
      const own = spawning + waiting;
      figures['OpenClaw spawn → ready (its own start, same run)'] = ms(own);
      figures['requested → served through the door'] = ms(servedMs);
      figures['  minus OpenClaw’s own start: what clients feel of Pincer (goal ≤ 100 ms)'] = ms(servedMs - own);
      figures['requested → running (incl. Pincer’s sign-in)'] = ms(runningMs);
      figures['  minus OpenClaw’s own start'] = ms(runningMs - own);
      figures['  of which resolving the install + port claim / Pincer’s sign-in'] = `${ms(probing)} / ${ms(connecting)}`;
      expect(status.gateway.source).toBe('user');
    });

    it("the user's own CLI works through the front door: health, status, gateway status", async () => {
      const health = await sandbox.openclaw(['health'], 120_000);
      figures['openclaw health'] = ms(health.ms);
      expect(health.code, health.output).toBe(0);
      const status = await sandbox.openclaw(['status'], 120_000);
      expect(status.code, status.output).toBe(0);
      const gatewayStatus = await sandbox.openclaw(['gateway', 'status'], 120_000);
      expect(gatewayStatus.code, gatewayStatus.output).toBe(0);
      expect(gatewayStatus.output).toMatch(/Connectivity probe: ok/);
    });

    it('Open Control UI: a one-time sign-in link from OpenClaw’s own dashboard handoff, the page served through the door', async () => {
      const reply = await twin!.request('POST', '/api/control-ui');
      expect(reply.status, reply.body).toBe(200);
      const { url } = JSON.parse(reply.body) as { url: string };
      const link = new URL(url);
      expect(link.origin).toBe(`http://127.0.0.1:${port}`);
      expect(link.search).toBe('');
      // The sign-in rides in the fragment (never sent to a server), and it is not the gateway token.
      expect(link.hash).toMatch(/bootstrapToken=/);
      expect(url).not.toContain(token);
      const page = await fetch(`${link.origin}${link.pathname}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);
      const secret = new URLSearchParams(link.hash.slice(1)).get('bootstrapToken')!;
      expect((await twin!.request('GET', '/api/logs')).body).not.toContain(secret);
      expect(twin!.output()).not.toContain(secret);
    });

    it("leaves the user's config alone: same token, and no secret in Pincer's logs or API", async () => {
      const config = JSON5.parse(fs.readFileSync(sandbox.configFile, 'utf8')) as { gateway: { auth: { token: string }; port: number } };
      expect(config.gateway.auth.token).toBe(token);
      expect(config.gateway.port).toBe(port);
      expect(JSON.stringify(await twinStatus())).not.toContain(token);
      expect((await twin!.request('GET', '/api/logs')).body).not.toContain(token);
      expect(twin!.output()).not.toContain(token);
      const logFile = path.join(twin!.dataDir, 'logs', 'main.log');
      if (fs.existsSync(logFile)) expect(fs.readFileSync(logFile, 'utf8')).not.toContain(token);
    });

    const hammered = async (action: () => Promise<void>) => {
      const hammer = new Hammer({ port, intervalMs: 10, timeoutMs: 60_000 });
      hammer.start();
      await waitFor(() => hammer.snapshot().ok >= 20, { what: 'traffic before the restart' });
      await action();
      const okAfter = hammer.snapshot().ok;
      await waitFor(() => hammer.snapshot().ok >= okAfter + 20, { timeoutMs: 60_000, what: 'traffic after the restart' });
      return hammer.stop();
    };

    it('API restart under a hammering client: in-process (same pid, new bootId), 0 refused', async () => {
      const before = await twinStatus();
      // OpenClaw's own gap, side by side: its internal port, probed directly during the same restart.
      const own = ownGap(before.frontDoor!.internalPort!);
      const report = await hammered(async () => {
        expect((await twin!.request('POST', '/api/restart')).status).toBe(202);
        await runningWith(
          (s) => s.gateway.bootId !== before.gateway.bootId && s.lastRestart?.at !== before.lastRestart?.at,
          'running after the restart',
        );
      });
      const gap = await own.stop();
      const after = await twinStatus();
      figures['restart hold, in-process (longest client wait through the door)'] = ms(report.longestWaitMs);
      figures["  OpenClaw's own port gap in the same restart (internal port, TCP / until /healthz answers)"] = `${ms(gap.tcpMs)} / ${ms(gap.httpMs)}`;
      figures['  door hold minus own gap (goal ≤ 200 ms)'] = ms(report.longestWaitMs - gap.httpMs);
      figures['in-process restart: probes ok / refused'] = `${report.ok} / ${report.byOutcome.refused}`;
      expect(after.lastRestart).toMatchObject({ kind: 'in-process' });
      expect(after.pid).toBe(before.pid);
      expect(report.byOutcome.refused).toBe(0);
    });

    it('full restart under a hammering client: new pid, 0 refused', async () => {
      const before = await twinStatus();
      const report = await hammered(async () => {
        expect((await twin!.request('POST', '/api/restart-full')).status).toBe(202);
        await runningWith((s) => s.pid !== before.pid, 'running after the full restart');
      });
      const after = await twinStatus();
      figures['restart hold, full (longest client wait)'] = ms(report.longestWaitMs);
      expect(after.lastRestart).toMatchObject({ kind: 'full' });
      expect(report.byOutcome.refused).toBe(0);
    });

    it('kill -9 → recovered with a new pid, still the user’s token', async () => {
      const before = await twinStatus();
      const killedAt = Date.now();
      process.kill(before.pid!, 'SIGKILL');
      const after = await runningWith((s) => s.pid !== before.pid, 'recovery after kill -9');
      figures['kill -9 → running'] = ms(Date.now() - killedAt);
      expect(after.lastExit).toMatchObject({ signal: 'SIGKILL' });
      expect(environOf(after.pid!).OPENCLAW_GATEWAY_TOKEN).toBeUndefined();
      const health = await sandbox.openclaw(['health'], 120_000);
      expect(health.code, health.output).toBe(0);
    });

    it('stop → its processes are gone', async () => {
      const tree = await listDescendants(twin!.pid);
      expect(tree.length).toBeGreaterThan(0);
      expect((await twin!.request('POST', '/api/stop')).status).toBe(202);
      await waitFor(async () => (await twinStatus()).state === 'stopped', { timeoutMs: 60_000, what: 'stopped' });
      for (const pid of tree) expect(isAlive(pid)).toBe(false);
    });
  });
});
