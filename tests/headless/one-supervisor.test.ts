// One data dir, one supervisor, with the real built twin: a second `npm run serve` on the same data
// dir names the first and leaves; a SIGKILLed first leaves a stale lock that the next one takes,
// reclaiming the orphaned gateway its pid record names.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPidRecords } from '../../electron/core/pidfile';
import { isAlive, processIdentity } from '../../electron/core/process/tree';
import { buildAll } from '../helpers/build';
import { freePort } from '../helpers/ports';
import { startTwin, type Twin } from '../helpers/twin';
import { waitFor } from '../helpers/wait';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs the built twin to its end (it is expected to refuse): exit code and everything it wrote. */
function runTwinToEnd(dataDir: string, gatewayPort: number): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'dist/headless.cjs'), '--data-dir', dataDir, '--gateway', 'reference', '--gateway-port', String(gatewayPort)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PINCER_API_TOKEN: '' },
    },
  );
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

describe('one data dir, one supervisor (headless twin)', () => {
  const twins: Twin[] = [];
  const gateways: number[] = [];
  let dataDir: string;

  beforeAll(async () => {
    await buildAll();
  });

  afterAll(async () => {
    for (const twin of twins) await twin.stop();
    for (const pid of gateways) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a second twin on the same data dir exits non-zero naming the first (pid, API); the first gateway is untouched', async () => {
    const gatewayPort = await freePort();
    const first = await startTwin({ gatewayPort });
    twins.push(first);
    dataDir = first.dataDir;
    const running = await waitFor(async () => ((await first.status()).state === 'running' ? first.status() : undefined), {
      what: 'the first gateway running',
    });
    gateways.push(running.pid!);
    const settingsBefore = fs.readFileSync(path.join(dataDir, 'settings.json'), 'utf8');

    const second = await runTwinToEnd(dataDir, await freePort());
    expect(second.code).toBe(3);
    expect(second.output).toContain(
      `another Pincer (headless, pid ${first.pid}, API http://127.0.0.1:${first.apiPort}/api) already supervises the data dir ${dataDir}`,
    );
    expect(second.output).not.toContain('Dashboard:');

    expect(await first.status()).toMatchObject({ state: 'running', pid: running.pid, restarts: running.restarts });
    expect(isAlive(running.pid!)).toBe(true);
    // The second's --gateway-port was not saved: it touched nothing.
    expect(fs.readFileSync(path.join(dataDir, 'settings.json'), 'utf8')).toBe(settingsBefore);
    // The pid record says which supervisor owns the gateway.
    expect(readPidRecords(dataDir)).toEqual([
      expect.objectContaining({ pid: running.pid, owner: { pid: first.pid, identity: await processIdentity(first.pid) } }),
    ]);
  });

  it('kill -9 of the first: its lock is stale, a new twin starts and reclaims the orphaned gateway', async () => {
    const [first] = twins;
    const orphan = gateways[0]!;
    process.kill(first!.pid, 'SIGKILL');
    await first!.stop();
    expect(isAlive(orphan)).toBe(true); // the gateway outlived its supervisor
    expect(fs.existsSync(path.join(dataDir, 'pincer.lock'))).toBe(true); // and the lock was left behind

    const gatewayPort = JSON.parse(fs.readFileSync(path.join(dataDir, 'settings.json'), 'utf8')).gatewayPort as number;
    const next = await startTwin({ gatewayPort, dataDir });
    twins.push(next);
    const running = await waitFor(
      async () => {
        const status = await next.status();
        return status.state === 'running' ? status : undefined;
      },
      { what: 'the new twin running its own gateway', timeoutMs: 60_000 },
    );
    gateways.push(running.pid!);
    expect(running.pid).not.toBe(orphan);
    expect(isAlive(orphan)).toBe(false);
    expect(next.output()).toContain(`reclaiming pid ${orphan}`);
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'pincer.lock'), 'utf8'))).toMatchObject({
      pid: next.pid,
      api: { url: `http://127.0.0.1:${next.apiPort}/api` },
    });
  });
});
