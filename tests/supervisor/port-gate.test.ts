import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { addPidRecord } from '../../electron/core/pidfile';
import { isAlive, processIdentity } from '../../electron/core/process/tree';
import { freePort } from '../helpers/ports';
import { startReferenceGateway } from '../helpers/reference-gateway';
import { createHarness, TEST_TOKEN, type Harness } from '../helpers/supervisor-harness';
import { waitFor } from '../helpers/wait';

/** A foreign program on the port: `hang` accepts connections and never answers. */
function foreignListener(port: number, behaviour: 'http' | 'hang'): Promise<ChildProcess> {
  const script =
    behaviour === 'http'
      ? `require('http').createServer((q,s)=>{s.writeHead(404);s.end('not a gateway')}).listen(${port},'127.0.0.1',()=>console.log('up'))`
      : `const held=[];require('net').createServer(s=>held.push(s)).listen(${port},'127.0.0.1',()=>console.log('up'))`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`foreign listener exited ${code}`)));
  });
}

describe('port gate before every spawn', () => {
  let harness: Harness | undefined;
  const others: Array<{ stop(): Promise<unknown> | void }> = [];
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
    for (const other of others.splice(0)) await other.stop();
  });

  const track = (child: ChildProcess) => {
    others.push({
      stop: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    });
    return child;
  };

  it('a foreign listener → PORT_IN_USE naming its pid and command, and it is left alive', async () => {
    const port = await freePort();
    const foreign = track(await foreignListener(port, 'http'));
    harness = await createHarness({ port });
    await harness.supervisor.start();
    const status = harness.supervisor.status();
    expect(status.state).toBe('error');
    expect(status.error?.code).toBe('PORT_IN_USE');
    expect(status.error?.portOwner?.pid).toBe(foreign.pid);
    expect(status.error?.portOwner?.command).toContain('createServer');
    expect(status.error?.message).toContain(String(foreign.pid));
    expect(isAlive(foreign.pid!)).toBe(true);
    expect(harness.launches).toBe(0);
  });

  it('a listener that accepts TCP but never answers → reported hung, not healthy', async () => {
    const port = await freePort();
    const foreign = track(await foreignListener(port, 'hang'));
    harness = await createHarness({ port, timeouts: { answerMs: 500 } });
    await harness.supervisor.start();
    const status = harness.supervisor.status();
    expect(status.error?.code).toBe('PORT_HUNG');
    expect(status.error?.portOwner?.pid).toBe(foreign.pid);
    expect(isAlive(foreign.pid!)).toBe(true);
    expect(harness.launches).toBe(0);
  });

  it('a healthy gateway already on the port → attached, no second process', async () => {
    const port = await freePort();
    const existing = await startReferenceGateway({ port, token: TEST_TOKEN });
    others.push(existing);
    harness = await createHarness({ port });
    await harness.supervisor.start();
    const status = harness.supervisor.status();
    expect(status).toMatchObject({ state: 'running', attached: true, pid: existing.pid });
    expect(harness.launches).toBe(0);
    await expect(harness.supervisor.request('health')).resolves.toBeTruthy();
    // Stopping Pincer detaches; a gateway it did not start is not its to kill.
    await harness.supervisor.stop();
    expect(isAlive(existing.pid)).toBe(true);
  });

  it('our own orphan from a previous run (pid recorded, command matches) → reclaimed, then a fresh spawn', async () => {
    harness = await createHarness();
    const orphan = await startReferenceGateway({ port: harness.port, token: TEST_TOKEN });
    others.push(orphan);
    addPidRecord(harness.dataDir, { pid: orphan.pid, port: harness.port, startedAt: Date.now(), identity: (await processIdentity(orphan.pid))! });
    await harness.supervisor.start();
    const status = harness.supervisor.status();
    expect(status.error).toBeUndefined();
    expect(status).toMatchObject({ state: 'running', attached: false });
    expect(status.pid).not.toBe(orphan.pid);
    await waitFor(() => !isAlive(orphan.pid), { what: 'the orphan to be gone' });
    expect(harness.launches).toBe(1);
  });

  it('a recorded pid now used by a stranger (another start time) is not reclaimed', async () => {
    const port = await freePort();
    const foreign = track(await foreignListener(port, 'http'));
    harness = await createHarness({ port });
    addPidRecord(harness.dataDir, { pid: foreign.pid!, port, startedAt: Date.now(), identity: `${foreign.pid}@1` });
    await harness.supervisor.start();
    expect(harness.supervisor.status().error?.code).toBe('PORT_IN_USE');
    expect(isAlive(foreign.pid!)).toBe(true);
  });
});
