// A gateway flooding its stdout (MBs per second): Pincer's memory stays bounded, the gateway is
// not blocked by a full pipe, and the API keeps answering.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAll } from '../helpers/build';
import { freePort } from '../helpers/ports';
import { startTwin, type Twin } from '../helpers/twin';
import { waitFor } from '../helpers/wait';

const FLOOD_BYTES_PER_SECOND = 8 * 1024 * 1024;

function rssMiB(pid: number): number {
  const line = fs
    .readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Number(/(\d+)/.exec(line)![1]) / 1024;
}

describe('a gateway flooding stdout', () => {
  let twin: Twin;
  let gatewayPort: number;
  beforeAll(async () => {
    await buildAll();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-flood-'));
    fs.writeFileSync(
      path.join(dataDir, 'settings.json'),
      JSON.stringify({ gatewayEnv: { PINCER_REFGW_FLOOD_STDOUT: String(FLOOD_BYTES_PER_SECOND) } }),
    );
    gatewayPort = await freePort();
    twin = await startTwin({ gatewayPort, dataDir });
    await waitFor(async () => (await twin.status()).state === 'running', { what: 'running' });
  });
  afterAll(async () => {
    await twin.stop();
    fs.rmSync(twin.dataDir, { recursive: true, force: true });
  });

  it('keeps memory bounded and the API responsive while the gateway is drained', async () => {
    const baseline = rssMiB(twin.pid);
    const { pid } = await twin.status();
    const until = Date.now() + 5_000;
    let worstApiMs = 0;
    let peak = baseline;
    while (Date.now() < until) {
      const started = Date.now();
      const status = await twin.status();
      worstApiMs = Math.max(worstApiMs, Date.now() - started);
      expect(status.state).toBe('running');
      peak = Math.max(peak, rssMiB(twin.pid));
    }
    // The gateway is drained, not stalled behind a full pipe: it still answers, and it is the same process.
    const health = await fetch(`http://127.0.0.1:${gatewayPort}/healthz`, { signal: AbortSignal.timeout(5_000) });
    expect(health.status).toBe(200);
    expect((await twin.status()).pid).toBe(pid);
    // ~40 MiB went through; Pincer keeps only bounded tails of it.
    expect(peak - baseline).toBeLessThan(100);
    expect(worstApiMs).toBeLessThan(2_000);
    const logs = JSON.parse((await twin.request('GET', '/api/logs')).body) as unknown[];
    expect(logs.length).toBeLessThanOrEqual(500);
    // The log file rotates at 1 MiB instead of growing without bound.
    expect(fs.statSync(path.join(twin.dataDir, 'logs', 'main.log')).size).toBeLessThanOrEqual(1.1 * 1024 * 1024);
  });
});
