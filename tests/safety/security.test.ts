// Security checks as tests: loopback-only listeners, no token in any argv, 0600 secrets.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPids, readSocketInodes } from '../../electron/core/process/procfs';
import { isAlive, listDescendants } from '../../electron/core/process/tree';
import { readTcpTable } from '../../electron/core/sockets/tcp-table';
import { buildAll } from '../helpers/build';
import { freePort } from '../helpers/ports';
import { startTwin, type Twin } from '../helpers/twin';
import { waitFor } from '../helpers/wait';

describe('security of a running headless twin', () => {
  let twin: Twin;
  let gatewayToken: string;

  beforeAll(async () => {
    await buildAll();
    twin = await startTwin({ gatewayPort: await freePort() });
    await waitFor(async () => (await twin.status()).state === 'running', { what: 'running' });
    gatewayToken = fs.readFileSync(path.join(twin.dataDir, 'gateway-token'), 'utf8').trim();
  });

  afterAll(async () => {
    await twin.stop();
    fs.rmSync(twin.dataDir, { recursive: true, force: true });
  });

  it('every listener of Pincer and its gateway tree is bound to loopback only', async () => {
    const pids = [twin.pid, ...(await listDescendants(twin.pid))];
    const inodes = new Set<number>();
    for (const pid of pids) for (const inode of await readSocketInodes(pid)) inodes.add(inode);
    const listeners = (await readTcpTable()).filter((socket) => socket.state === 'LISTEN' && inodes.has(socket.inode));
    expect(listeners.length).toBeGreaterThanOrEqual(2); // the API and the gateway at least
    for (const listener of listeners) expect(['127.0.0.1', '::1']).toContain(listener.localAddress);
  });

  it('the gateway token is in no process argv on this machine, and in no output', async () => {
    for (const pid of await listPids()) {
      let cmdline: string;
      try {
        cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue; // gone meanwhile
      }
      expect(cmdline).not.toContain(gatewayToken);
    }
    expect(twin.output()).not.toContain(gatewayToken);
  });

  it('no API response carries the gateway token', async () => {
    for (const url of ['/api/status', '/api/settings', '/api/timeline', '/api/logs']) {
      const reply = await twin.request('GET', url);
      expect(reply.status).toBe(200);
      expect(reply.body).not.toContain(gatewayToken);
    }
    const diagnostics = await twin.request('POST', '/api/diagnostics');
    expect(diagnostics.body).not.toContain(gatewayToken);
    expect(fs.readFileSync(JSON.parse(diagnostics.body).path, 'utf8')).not.toContain(gatewayToken);
  });

  it('secret files are 0600', () => {
    for (const name of ['gateway-token', 'device-identity.json', 'device-token', 'settings.json']) {
      const file = path.join(twin.dataDir, name);
      if (name === 'settings.json' && !fs.existsSync(file)) continue; // only written once changed
      expect({ name, mode: (fs.statSync(file).mode & 0o777).toString(8) }).toEqual({ name, mode: '600' });
    }
  });

  it('stopping leaves nothing behind', async () => {
    const tree = await listDescendants(twin.pid);
    expect(tree.length).toBeGreaterThan(0);
    expect(await twin.stop()).toEqual({ code: 0, signal: null });
    for (const pid of tree) expect(isAlive(pid)).toBe(false);
  });
});
