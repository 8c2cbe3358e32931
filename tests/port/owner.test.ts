import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { findPortOwner } from '../../electron/core/port/owner';
import { readSocketInodes } from '../../electron/core/process/procfs';
import { readTcpTable } from '../../electron/core/sockets/tcp-table';
import { freePort } from '../helpers/ports';
import { killTracked, LISTEN_SCRIPT, startNode, track } from '../process/node-scripts';

afterEach(() => killTracked());

describe('findPortOwner (Linux, for real)', () => {
  test('names the child process listening on 127.0.0.1, with its command line', async () => {
    const port = await freePort();
    const server = startNode(LISTEN_SCRIPT, [String(port), '127.0.0.1']);
    await server.line(/ready/);
    const owner = await findPortOwner(port);
    expect(owner?.pid).toBe(server.pid);
    expect(owner?.command).toContain(process.execPath);
    expect(owner?.command).toContain(`${port} 127.0.0.1`);
  });

  test('names a listener on ::1', async () => {
    const port = await freePort();
    const server = startNode(LISTEN_SCRIPT, [String(port), '::1']);
    await server.line(/ready/);
    expect((await findPortOwner(port))?.pid).toBe(server.pid);
  });

  test('names our own process when we hold the port', async () => {
    const port = await freePort();
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      expect((await findPortOwner(port))?.pid).toBe(process.pid);
    } finally {
      server.close();
    }
  });

  test('a listening socket inherited by a worker: the topmost holder is named', async () => {
    const port = await freePort();
    // The parent listens, then spawns a worker that inherits the listening fd (stdio slot 3).
    const parent = startNode(
      `
      const net = require('node:net');
      const { spawn } = require('node:child_process');
      const server = net.createServer().listen(Number(process.argv[1]), '127.0.0.1', () => {
        const worker = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: ['ignore', 'ignore', 'inherit', server._handle] });
        console.log('worker ' + worker.pid);
      });
      `,
      [String(port)],
    );
    const workerPid = Number((await parent.line(/^worker \d+$/)).split(' ')[1]);
    track(workerPid);
    // Both hold the one LISTEN socket…
    const [listener] = (await readTcpTable()).filter((socket) => socket.state === 'LISTEN' && socket.localPort === port);
    expect((await readSocketInodes(workerPid)).has(listener!.inode)).toBe(true);
    expect((await readSocketInodes(parent.pid)).has(listener!.inode)).toBe(true);
    // …and the parent, whose worker it is, is the owner.
    expect((await findPortOwner(port))?.pid).toBe(parent.pid);
  });

  test('a free port has no owner', async () => {
    expect(await findPortOwner(await freePort())).toBeUndefined();
  });

  test('a client connection to a port is not a listener', async () => {
    const port = await freePort();
    const server = startNode(LISTEN_SCRIPT, [String(port), '127.0.0.1']);
    await server.line(/ready/);
    const client = net.connect({ host: '127.0.0.1', port });
    await new Promise((resolve) => client.once('connect', resolve));
    try {
      expect((await findPortOwner(port))?.pid).toBe(server.pid);
    } finally {
      client.destroy();
    }
  });

  test('bad input is a clear error', async () => {
    await expect(findPortOwner(-1)).rejects.toThrow(/not a TCP port/);
  });
});
