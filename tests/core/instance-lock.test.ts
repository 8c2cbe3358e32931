// The data dir lock with real processes: exclusive creation, stale holders (dead, or a pid now
// worn by another process), junk files, and contenders starting at the same moment.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireInstanceLock, findInstance, InstanceLockedError, LOCK_FILE, type InstanceRecord } from '../../electron/core/instance-lock';
import { isAlive, processIdentity } from '../../electron/core/process/tree';
import { killTracked, startNode } from '../process/node-scripts';
import { waitFor } from '../helpers/wait';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dirs: string[] = [];
const contenders: ChildProcess[] = [];

function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-lock-'));
  dirs.push(dir);
  return dir;
}

function writeLock(dir: string, record: Partial<InstanceRecord>): void {
  fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ kind: 'headless', version: '0', startedAt: 1, ...record }));
}

/** A process that is gone for good: started, then SIGKILLed and reaped. */
async function deadProcess(): Promise<{ pid: number; identity: string }> {
  const script = startNode('console.log("up"); setInterval(() => {}, 1000)');
  await script.line(/up/);
  const identity = (await processIdentity(script.pid))!;
  const exited = new Promise((resolve) => script.child.once('exit', resolve));
  script.child.kill('SIGKILL');
  await exited;
  return { pid: script.pid, identity };
}

afterEach(() => {
  for (const child of contenders.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  killTracked();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('acquireInstanceLock', () => {
  it('takes a free data dir (0600 file naming this process), refuses a second taker naming the holder, and releases', async () => {
    const dir = dataDir();
    const lock = await acquireInstanceLock(dir, { kind: 'headless', version: '1.2.3' });
    const file = path.join(dir, LOCK_FILE);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(lock.record).toMatchObject({ pid: process.pid, identity: await processIdentity(process.pid), kind: 'headless', version: '1.2.3' });
    lock.setApi({ url: 'http://127.0.0.1:1234/api', token: 'secret' });
    expect(await findInstance(dir)).toMatchObject({ pid: process.pid, api: { url: 'http://127.0.0.1:1234/api', token: 'secret' } });

    const refused = await acquireInstanceLock(dir, { kind: 'desktop', version: '1.2.3' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InstanceLockedError);
    expect((refused as Error).message).toBe(
      `another Pincer (headless, pid ${process.pid}, API http://127.0.0.1:1234/api) already supervises the data dir ${dir}`,
    );

    lock.release();
    expect(fs.existsSync(file)).toBe(false);
    expect(await findInstance(dir)).toBeUndefined();
  });

  it('a dead holder holds nothing', async () => {
    const dir = dataDir();
    writeLock(dir, await deadProcess());
    expect(await findInstance(dir)).toBeUndefined();
    const lock = await acquireInstanceLock(dir, { kind: 'headless', version: '0' });
    expect(lock.record.pid).toBe(process.pid);
    lock.release();
  });

  it('a live pid with another start time (a reused pid) holds nothing', async () => {
    const dir = dataDir();
    const stranger = startNode('console.log("up"); setInterval(() => {}, 1000)');
    await stranger.line(/up/);
    writeLock(dir, { pid: stranger.pid, identity: `${stranger.pid}@1` });
    const lock = await acquireInstanceLock(dir, { kind: 'headless', version: '0' });
    expect(lock.record.pid).toBe(process.pid);
    expect(isAlive(stranger.pid)).toBe(true); // judged, never touched
    lock.release();
  });

  it('a junk lock file (a holder that died between create and write) is taken once it is old', async () => {
    const dir = dataDir();
    const file = path.join(dir, LOCK_FILE);
    fs.writeFileSync(file, '');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    const lock = await acquireInstanceLock(dir, { kind: 'headless', version: '0' });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('release leaves a lock that is no longer ours alone', async () => {
    const dir = dataDir();
    const lock = await acquireInstanceLock(dir, { kind: 'headless', version: '0' });
    const other = await deadProcess();
    writeLock(dir, other); // as if another Pincer had taken over the (stale) file meanwhile
    lock.release();
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: other.pid });
  });

  // Real processes racing: each tries to take the lock and reports; winners hold it until killed.
  const CONTENDER = `
    const { acquireInstanceLock } = await import(${JSON.stringify(path.join(ROOT, 'electron/core/instance-lock.ts'))});
    // All go at one agreed moment, whatever their start-up took.
    await new Promise((resolve) => setTimeout(resolve, Number(process.argv[2]) - Date.now()));
    try {
      await acquireInstanceLock(process.argv[1], { kind: 'headless', version: '0' });
      console.log('won');
      setInterval(() => {}, 1000);
    } catch (error) {
      console.log(error.name === 'InstanceLockedError' ? 'lost' : 'error ' + error.message);
      process.exit(3);
    }`;

  async function race(dir: string, count: number): Promise<string[]> {
    const results: string[] = [];
    const goAt = String(Date.now() + 3_000);
    for (let i = 0; i < count; i += 1) {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CONTENDER, dir, goAt], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      contenders.push(child);
      child.stdout!.setEncoding('utf8').on('data', (text: string) => results.push(...text.split('\n').filter(Boolean)));
    }
    await waitFor(() => results.length === count, { timeoutMs: 60_000, what: `${count} contenders to report` });
    return results;
  }

  it.each([
    ['on a free data dir', false],
    ['on a stale lock (dead holder): one takeover, not two', true],
  ])('contenders starting at once: exactly one wins %s', async (_, stale) => {
    const dir = dataDir();
    if (stale) writeLock(dir, await deadProcess());
    const results = await race(dir, 4);
    expect(results.filter((result) => result === 'won')).toHaveLength(1);
    expect(results.filter((result) => result === 'lost')).toHaveLength(3);
    await waitFor(() => contenders.filter((child) => child.exitCode === 3).length === 3, { what: 'the losers to exit' });
    const winner = contenders.find((child) => child.exitCode === null)!;
    expect(await findInstance(dir)).toMatchObject({ pid: winner.pid });
  });
});
