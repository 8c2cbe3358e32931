// Supervisor benchmarks (issue 2): recovery after kill -9 against the gateway's own start time,
// TIME_WAIT port → spawn, crash → status event, restart storms → restarts (in-process, and through
// the headless twin's HTTP API as real requests arrive: spread out). One run, side by side.
import { spawn } from 'node:child_process';
import { connectGateway } from '../electron/core/connection';
import type { GatewayStatus } from '../electron/core/status';
import { httpGet } from '../electron/core/readiness';
import { makeLeftovers } from '../tests/helpers/leftovers';
import { freePort } from '../tests/helpers/ports';
import { apiRestartStorm } from '../tests/helpers/restart-storm';
import { createHarness, TEST_TOKEN, type Harness } from '../tests/helpers/supervisor-harness';
import { startTwin } from '../tests/helpers/twin';
import { waitFor } from '../tests/helpers/wait';
import { median, round, type BenchResult } from './stats';

const ROUNDS = 10;
const API_STORM = { requests: 200, spreadMs: 2_000 };

/**
 * Without Pincer: spawn → /readyz 200 (what a client waits for) and → control connection up (what
 * Pincer's running waits for too): the gateway's own start times.
 */
async function ownStartTime(entry: string, dataDir: string): Promise<{ ready: number; connected: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [entry, 'gateway', '--port', String(port), '--bind', 'loopback'], {
    env: { PATH: process.env.PATH, OPENCLAW_GATEWAY_TOKEN: TEST_TOKEN },
    stdio: 'ignore',
  });
  await waitFor(() => answersReadyz(port), { intervalMs: 5, what: 'readyz' });
  const ready = performance.now() - started;
  const connection = await connectGateway({
    port,
    token: TEST_TOKEN,
    dataDir,
    heartbeatMs: 5_000,
    handshakeTimeoutMs: 5_000,
    clientVersion: 'bench',
    log: () => {},
  });
  const connected = performance.now() - started;
  await connection.close();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return { ready, connected };
}

async function answersReadyz(port: number): Promise<boolean> {
  return (await httpGet(port, '/readyz', 5_000).catch(() => undefined))?.status === 200;
}

/**
 * Under Pincer, from start() on a stopped supervisor: → a client's /readyz answered through the
 * front door (held there until the gateway is ready), and → running (after Pincer's own sign-in).
 */
async function startUnderPincer(supervisor: Harness['supervisor'], port: number): Promise<{ served: number; running: number }> {
  const requested = performance.now();
  const [served, running] = await Promise.all([
    waitFor(async () => (await answersReadyz(port)) && performance.now() - requested, { intervalMs: 5, what: 'served through the door' }),
    supervisor.start().then(() => performance.now() - requested),
  ]);
  return { served, running };
}

export async function benchSupervisor(): Promise<BenchResult> {
  const harness = await createHarness();
  // The same device identity as the supervisor's, so both connect the same way.
  const dataDir = harness.dataDir;
  const { supervisor } = harness;
  try {
    await supervisor.start();
    const own: number[] = [];
    const ownConnected: number[] = [];
    const served: number[] = [];
    const running: number[] = [];
    const recovery: number[] = [];
    const crashToEvent: number[] = [];
    for (let round_ = 0; round_ < ROUNDS; round_++) {
      const ownStart = await ownStartTime(harness.entry, dataDir);
      own.push(ownStart.ready);
      ownConnected.push(ownStart.connected);
      const victim = supervisor.status().pid!;
      let eventAt: number | undefined;
      const off = supervisor.onStatus((status: GatewayStatus) => {
        if (eventAt === undefined && status.lastExit && status.pid === undefined) eventAt = performance.now();
      });
      const killedAt = performance.now();
      process.kill(victim, 'SIGKILL');
      await waitFor(
        () => {
          const status = supervisor.status();
          return status.state === 'running' && status.pid !== victim;
        },
        { intervalMs: 1, what: 'recovery' },
      );
      recovery.push(performance.now() - killedAt);
      off();
      crashToEvent.push(eventAt! - killedAt);
      // Spread crashes beyond the crash-loop window's reach: a fresh stable start each round.
      await supervisor.stop();
      const underPincer = await startUnderPincer(supervisor, harness.port);
      served.push(underPincer.served);
      running.push(underPincer.running);
    }

    // TIME_WAIT leftovers → the spawn of the next gateway.
    await supervisor.stop();
    const timeWait: number[] = [];
    for (let round_ = 0; round_ < 5; round_++) {
      const leftovers = await makeLeftovers();
      harness.settings.gatewayPort = leftovers.port;
      let spawningAt: number | undefined;
      const off = supervisor.onStatus((status) => {
        if (status.phase === 'spawning') spawningAt ??= performance.now();
      });
      const startedAt = performance.now();
      await supervisor.start();
      off();
      timeWait.push(spawningAt! - startedAt);
      await supervisor.stop();
      leftovers.release();
    }

    // Restart storm: 1000 requests in one burst.
    harness.settings.gatewayPort = harness.port;
    await supervisor.start();
    const restartsBefore = supervisor.status().restarts;
    for (let i = 0; i < 1000; i++) supervisor.debouncedRestart(100);
    await waitFor(() => supervisor.status().restarts > restartsBefore && supervisor.status().state === 'running', { what: 'storm restart' });
    const afterDebounced = supervisor.status().restarts;
    // A fresh generation first: requests right after the debounced restart would rightly join it.
    await supervisor.stop();
    await supervisor.start();
    await Promise.all(Array.from({ length: 1000 }, () => supervisor.restart()));
    const afterConcurrent = supervisor.status().restarts;

    // Hang (SIGSTOP): detected by the heartbeat (500 ms here), then killed and started again.
    harness.settings.heartbeatMs = 500;
    // A fresh generation with it (a restart right after the storm's would join that one).
    await supervisor.stop();
    await supervisor.start();
    const hangDetected: number[] = [];
    const hangRecovered: number[] = [];
    for (let round_ = 0; round_ < 5; round_++) {
      const victim = supervisor.status().pid!;
      const stoppedAt = performance.now();
      process.kill(victim, 'SIGSTOP');
      await waitFor(() => supervisor.status().state !== 'running', { intervalMs: 1, what: 'the hang noticed' });
      hangDetected.push(performance.now() - stoppedAt);
      await waitFor(() => supervisor.status().state === 'running' && supervisor.status().pid !== victim, { intervalMs: 1, what: 'running again' });
      hangRecovered.push(performance.now() - stoppedAt);
      // A fresh start each round, as above: five hangs in a minute would rightly be a crash loop.
      await supervisor.stop();
      await supervisor.start();
    }

    const apiStorm = await restartStormThroughApi();

    const ownMedian = median(own);
    const ownConnectedMedian = median(ownConnected);
    const recoveryMedian = median(recovery);
    return {
      'gateway own start (spawn → /readyz 200), median ms': round(ownMedian),
      'under Pincer: start → served through the door, median ms': round(median(served)),
      'under Pincer minus own start: what clients feel, ms (goal ≤ 100)': round(median(served) - ownMedian),
      'gateway own start incl. control connection, median ms': round(ownConnectedMedian),
      'under Pincer: start → running (incl. its sign-in), median ms': round(median(running)),
      'under Pincer minus own start incl. connection, ms (goal ≤ 100)': round(median(running) - ownConnectedMedian),
      'recovery after kill -9, median ms': round(recoveryMedian),
      'recovery minus own start incl. connection, ms (goal ≤ 100)': round(recoveryMedian - ownConnectedMedian),
      'recovery / own start incl. connection (ratio)': round(recoveryMedian / ownConnectedMedian, 2),
      'TIME_WAIT port → spawn, median ms (goal ≤ 50)': round(median(timeWait)),
      'crash → status event, median ms (goal ≤ 50)': round(median(crashToEvent)),
      'hang (SIGSTOP) → detected, median ms (heartbeat 500, goal ≤ 2× = 1000)': round(median(hangDetected)),
      'hang (SIGSTOP) → running again, median ms (goal ≤ detection + own start)': round(median(hangRecovered)),
      'restart storm: 1000 debounced requests → restarts (goal 1)': afterDebounced - restartsBefore,
      'restart storm: 1000 concurrent restart() calls → restarts (goal 1)': afterConcurrent - afterDebounced,
      [`restart storm through the API: ${API_STORM.requests} POST /api/restart over ${API_STORM.spreadMs / 1000} s → restarts (goal 1)`]: apiStorm,
    };
  } finally {
    await harness.dispose();
  }
}

/** The headless twin as users run it, its API hit by requests that arrive spread out. */
async function restartStormThroughApi(): Promise<number> {
  const twin = await startTwin({ gatewayPort: await freePort() });
  try {
    const running = async () => {
      const status = await twin.status();
      return status.state === 'running' ? status : undefined;
    };
    const before = await waitFor(running, { timeoutMs: 30_000, what: 'the twin running its gateway' });
    await apiRestartStorm(twin, API_STORM);
    const after = await waitFor(
      async () => {
        const status = await running();
        return status && status.pid !== before.pid ? status : undefined;
      },
      { timeoutMs: 30_000, what: 'the storm restart' },
    );
    return after.restarts - before.restarts;
  } finally {
    await twin.stop();
  }
}
