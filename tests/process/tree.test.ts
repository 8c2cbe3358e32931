import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { listPids, readProcCommandLine, readProcStat } from '../../electron/core/process/procfs';
import { isAlive, killTree, listDescendants, readCommandLine } from '../../electron/core/process/tree';
import { waitFor } from '../helpers/wait';
import { killTracked, startNode, track, waitAllDead } from './node-scripts';

afterEach(() => killTracked());

/** argv: depth marker. Prints "pid N" for itself and each descendant (stdout is inherited down the chain). */
const CHAIN = `
const depth = Number(process.argv[1]);
if (depth > 0) require('node:child_process').spawn(process.execPath, [...process.execArgv, String(depth - 1), process.argv[2]], { stdio: 'inherit' });
console.log('pid ' + process.pid);
setInterval(() => {}, 1000);
`;

/** Starts root → child → grandchild; resolves with their pids, root first. */
async function startChain(marker: string): Promise<number[]> {
  const root = startNode(CHAIN, ['2', marker]);
  await waitFor(() => root.lines.length >= 3, { what: 'three processes' });
  const pids = root.lines.map((line) => Number(line.split(' ')[1]));
  pids.forEach(track);
  // Order them by ancestry: root, child, grandchild.
  return [root.pid, ...(await listDescendants(root.pid))];
}

/** Live (non-zombie) processes whose command line carries the marker — checked through /proc. */
async function survivors(marker: string): Promise<number[]> {
  const found: number[] = [];
  await Promise.all(
    (await listPids()).map(async (pid) => {
      if ((await readProcCommandLine(pid))?.includes(marker) && isAlive(pid)) found.push(pid);
    }),
  );
  return found;
}

describe('process tree (Linux, for real)', () => {
  test('listDescendants: children before grandchildren; readCommandLine; isAlive', async () => {
    const marker = `tree-${randomUUID()}`;
    const [root, child, grandchild] = await startChain(marker);
    expect(await listDescendants(root!)).toEqual([child, grandchild]);
    expect(await listDescendants(grandchild!)).toEqual([]);
    expect(await readCommandLine(child!)).toBe(`${process.execPath} -e ${CHAIN} 1 ${marker}`);
    expect([root, child, grandchild].every((pid) => isAlive(pid!))).toBe(true);
  });

  test('killTree SIGKILL leaves no process of the tree (grandchildren included)', async () => {
    const marker = `tree-${randomUUID()}`;
    const pids = await startChain(marker);
    expect(await survivors(marker)).toHaveLength(3);
    await killTree(pids[0]!, 'SIGKILL');
    await waitAllDead(pids);
    await waitFor(async () => (await survivors(marker)).length === 0, { what: 'no survivors in /proc' });
  });

  test.each(['SIGTERM', 'SIGKILL'] as const)('killTree %s ends a SIGSTOPped tree', async (signal) => {
    const marker = `tree-${randomUUID()}`;
    const pids = await startChain(marker);
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    await waitFor(async () => (await Promise.all(pids.map(readProcStat))).every((stat) => stat?.state === 'T'), { what: 'the tree to stop' });
    await killTree(pids[0]!, signal);
    await waitAllDead(pids);
    expect(await survivors(marker)).toEqual([]);
  });

  test('killTree SIGKILL catches a tree that keeps forking', async () => {
    const marker = `tree-${randomUUID()}`;
    // The root forks a child every 5 ms; every child forks a grandchild at once.
    const root = startNode(
      `const { spawn } = require('node:child_process');
       const leaf = 'setInterval(() => {}, 1000)';
       const child = "require('node:child_process').spawn(process.execPath, ['-e', " + JSON.stringify(leaf) + ", process.argv[1]], { stdio: 'ignore' }); setInterval(() => {}, 1000)";
       setInterval(() => spawn(process.execPath, ['-e', child, process.argv[1]], { stdio: 'ignore' }), 5);
       console.log('forking');`,
      [marker],
    );
    try {
      await root.line(/forking/);
      await waitFor(async () => (await survivors(marker)).length >= 6, { what: 'a few generations' });
      await killTree(root.pid, 'SIGKILL');
      await waitFor(async () => (await survivors(marker)).length === 0, { what: 'no survivors in /proc' });
    } finally {
      for (const pid of await survivors(marker)) process.kill(pid, 'SIGKILL');
    }
  });

  test('isAlive: a zombie (exited, not reaped) is not alive', async () => {
    // sh forks `sleep 0`, then becomes `sleep 30`, which never reaps it.
    const holder = spawn('sh', ['-c', 'sleep 0 & exec sleep 30'], { stdio: 'ignore' });
    track(holder.pid!);
    const [zombie] = await waitFor(() => listDescendants(holder.pid!).then((pids) => (pids.length === 1 ? pids : undefined)));
    await waitFor(async () => (await readProcStat(zombie!))?.state === 'Z', { what: 'the zombie' });
    expect(isAlive(zombie!)).toBe(false);
    expect(isAlive(holder.pid!)).toBe(true);
  });

  test('a gone process: not alive, no command line, no descendants; killTree is a no-op', async () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('exit', resolve));
    const pid = child.pid!;
    expect(isAlive(pid)).toBe(false);
    expect(await readCommandLine(pid)).toBeUndefined();
    expect(await listDescendants(pid)).toEqual([]);
    await expect(killTree(pid, 'SIGKILL')).resolves.toBeUndefined();
  });

  test('refuses to signal init, itself or a non-pid', async () => {
    await expect(killTree(1, 'SIGKILL')).rejects.toThrow(/process 1/);
    await expect(killTree(process.pid, 'SIGKILL')).rejects.toThrow(/our own process/);
    await expect(killTree(0, 'SIGKILL')).rejects.toThrow(/not a process id: 0/);
    await expect(killTree(-5, 'SIGKILL')).rejects.toThrow(/not a process id/);
    expect(() => isAlive(1.5)).toThrow(/not a process id/);
  });
});
