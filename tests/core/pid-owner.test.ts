// Pid records name the supervisor that owns each gateway; the port gate reclaims a recorded
// gateway only when its owner is gone (real processes standing in for gateway and supervisor).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gatePort } from '../../electron/core/gate';
import { acquireInstanceLock } from '../../electron/core/instance-lock';
import { addPidRecord, readPidRecords, type PidRecord } from '../../electron/core/pidfile';
import { isAlive, processIdentity } from '../../electron/core/process/tree';
import { freePort } from '../helpers/ports';
import { waitFor } from '../helpers/wait';
import { killTracked, startNode } from '../process/node-scripts';

const dirs: string[] = [];
afterEach(() => {
  killTracked();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-owner-'));
  dirs.push(dir);
  return dir;
}

async function liveProcess(): Promise<{ pid: number; identity: string }> {
  const script = startNode('console.log("up"); setInterval(() => {}, 1000)');
  await script.line(/up/);
  return { pid: script.pid, identity: (await processIdentity(script.pid))! };
}

describe('pid record owners', () => {
  it('a record written by the lock holder names it as owner; without the lock, no owner', async () => {
    const dir = dataDir();
    addPidRecord(dir, { pid: 4242, port: 1, startedAt: 1, identity: '4242@1' });
    expect(readPidRecords(dir)[0]!.owner).toBeUndefined();
    const lock = await acquireInstanceLock(dir, { kind: 'headless', version: '0' });
    addPidRecord(dir, { pid: 4343, port: 1, startedAt: 1, identity: '4343@1' });
    expect(readPidRecords(dir).find((record) => record.pid === 4343)!.owner).toEqual({ pid: process.pid, identity: lock.record.identity });
    lock.release();
  });

  it.each([
    ['its owning supervisor is alive: left alone', true, 'free'],
    ['its owning supervisor is gone: reclaimed', false, 'reclaim'],
  ])('a recorded live gateway, %s', async (_, ownerAlive, verdict) => {
    const dir = dataDir();
    const gateway = await liveProcess();
    const owner = await liveProcess();
    if (!ownerAlive) {
      process.kill(owner.pid, 'SIGKILL');
      await waitFor(() => !isAlive(owner.pid), { what: 'the owner to be gone' });
    }
    const record: PidRecord = { pid: gateway.pid, port: 1, startedAt: Date.now(), identity: gateway.identity, owner };
    fs.writeFileSync(path.join(dir, 'gateway-pids.json'), JSON.stringify([record]));
    const port = await freePort();
    expect((await gatePort({ port, dataDir: dir, answerTimeoutMs: 1_000 })).kind).toBe(verdict);
  });
});
