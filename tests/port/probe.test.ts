import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { probePort } from '../../electron/core/port/probe';
import { freePort } from '../helpers/ports';
import { killTracked, LISTEN_SCRIPT, startNode } from '../process/node-scripts';

const servers: net.Server[] = [];
afterEach(async () => {
  killTracked();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

function listen(port: number, host: string, backlog?: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.on('error', () => {}));
    servers.push(server);
    server.once('error', reject);
    server.listen({ port, host, backlog }, () => resolve(server));
  });
}

describe('probePort', () => {
  test('a free port: nobody on either loopback address', async () => {
    expect(await probePort(await freePort())).toEqual({ listening: false, addresses: [] });
  });

  test('a listener on 127.0.0.1 only', async () => {
    const port = await freePort();
    await listen(port, '127.0.0.1');
    expect(await probePort(port)).toEqual({ listening: true, addresses: ['127.0.0.1'] });
  });

  test('a listener on ::1 only', async () => {
    const port = await freePort();
    await listen(port, '::1');
    expect(await probePort(port)).toEqual({ listening: true, addresses: ['::1'] });
  });

  test('a listener on both, in another process', async () => {
    const port = await freePort();
    const v4 = startNode(LISTEN_SCRIPT, [String(port), '127.0.0.1']);
    const v6 = startNode(LISTEN_SCRIPT, [String(port), '::1']);
    await Promise.all([v4.line(/ready/), v6.line(/ready/)]);
    expect(await probePort(port)).toEqual({ listening: true, addresses: ['127.0.0.1', '::1'] });
  });

  test('a dual-stack listener on :: answers on both', async () => {
    const port = await freePort();
    await listen(port, '::');
    expect(await probePort(port)).toEqual({ listening: true, addresses: ['127.0.0.1', '::1'] });
  });

  test('a frozen listener (SIGSTOP) still counts as listening: the kernel completes the handshake', async () => {
    const port = await freePort();
    const server = startNode(LISTEN_SCRIPT, [String(port), '127.0.0.1']);
    await server.line(/ready/);
    process.kill(server.pid, 'SIGSTOP');
    try {
      expect((await probePort(port, { timeoutMs: 2_000 })).listening).toBe(true);
    } finally {
      process.kill(server.pid, 'SIGCONT');
    }
  });

  test('a hung listener whose accept queue is full drops our SYN: no answer in time still means taken', async () => {
    const port = await freePort();
    const server = startNode(
      `require('node:net').createServer().listen({ port: Number(process.argv[1]), host: '127.0.0.1', backlog: 1 }, () => console.log('ready'))`,
      [String(port)],
    );
    await server.line(/ready/);
    process.kill(server.pid, 'SIGSTOP');
    const fillers: net.Socket[] = [];
    try {
      // Fill the accept queue until a connect goes unanswered.
      for (let filled = false; !filled;) {
        const socket = net.connect({ host: '127.0.0.1', port });
        socket.on('error', () => {});
        fillers.push(socket);
        filled = !(await new Promise<boolean>((resolve) => {
          socket.once('connect', () => resolve(true));
          setTimeout(resolve, 500, false);
        }));
        expect(fillers.length).toBeLessThan(50);
      }
      const started = performance.now();
      expect(await probePort(port, { timeoutMs: 300 })).toEqual({ listening: true, addresses: ['127.0.0.1'] });
      expect(performance.now() - started).toBeLessThan(2_000);
      // The queue was still dropping SYNs, so the probe's answer came from its timeout.
      expect(fillers.at(-1)!.connecting).toBe(true);
    } finally {
      for (const socket of fillers) socket.destroy();
      process.kill(server.pid, 'SIGCONT');
    }
  });

  test('the probe closes its sockets', async () => {
    const port = await freePort();
    const server = await listen(port, '127.0.0.1');
    await probePort(port);
    const connections = (): Promise<number> => new Promise((resolve) => server.getConnections((_, count) => resolve(count)));
    await expect.poll(connections, { timeout: 5_000 }).toBe(0);
  });

  // A private network namespace (root only) whose loopback has no IPv6: ::1 answers EADDRNOTAVAIL.
  const canUnshare = process.platform === 'linux' && spawnSync('unshare', ['-n', 'true']).status === 0;
  test.skipIf(!canUnshare)('a host without IPv6: ::1 counts as not listening, 127.0.0.1 is still probed', () => {
    const script = `
      const { probePort } = await import(${JSON.stringify(path.resolve('electron/core/port/probe.ts'))});
      const net = await import('node:net');
      const free = await probePort(5555);
      const server = net.createServer().listen(5555, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      const taken = await probePort(5555);
      server.close();
      console.log(JSON.stringify({ free, taken }));`;
    const run = spawnSync(
      'unshare',
      [
        '-n',
        'sh',
        '-c',
        'ip link set lo up && sysctl -qw net.ipv6.conf.lo.disable_ipv6=1 && exec "$0" --import tsx --input-type=module -e "$1"',
        process.execPath,
        script,
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ free: { listening: false, addresses: [] }, taken: { listening: true, addresses: ['127.0.0.1'] } });
  });

  test('bad input is a clear error', async () => {
    await expect(probePort(0)).rejects.toThrow(/not a TCP port: 0/);
    await expect(probePort(70_000)).rejects.toThrow(/not a TCP port/);
    await expect(probePort(1.5)).rejects.toThrow(/not a TCP port/);
    await expect(probePort(8080, { timeoutMs: 0 })).rejects.toThrow(/timeoutMs/);
  });
});
