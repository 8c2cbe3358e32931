// Security checks as tests: loopback-only listeners, no token in any argv, 0600 secrets.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPids, readSocketInodes } from '../../electron/core/process/procfs';
import { isAlive, listDescendants } from '../../electron/core/process/tree';
import { readTcpTable } from '../../electron/core/sockets/tcp-table';
import { buildAll } from '../helpers/build';
import { freePort } from '../helpers/ports';
import { waitFor } from '../helpers/wait';

const ROOT = path.resolve(__dirname, '../..');

describe('security of a running headless twin', () => {
  let child: ChildProcess;
  let dataDir: string;
  let output = '';
  let gatewayToken: string;
  let apiPort: number;

  beforeAll(async () => {
    await buildAll();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-sec-'));
    child = spawn(process.execPath, [path.join(ROOT, 'dist/headless.cjs'), '--data-dir', dataDir, '--gateway-port', String(await freePort()), '--gateway', 'reference'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PINCER_API_TOKEN: 'api-token-for-the-security-test-0123456789' },
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    apiPort = Number((await waitFor(() => /Dashboard: http:\/\/127\.0\.0\.1:(\d+)\//.exec(output), { what: 'dashboard line' }))[1]);
    await waitFor(async () => {
      const response = await fetch(`http://127.0.0.1:${apiPort}/api/status`, { headers: { authorization: 'Bearer api-token-for-the-security-test-0123456789' } });
      return ((await response.json()) as { state: string }).state === 'running';
    }, { what: 'running' });
    gatewayToken = fs.readFileSync(path.join(dataDir, 'gateway-token'), 'utf8').trim();
  });

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('every listener of Pincer and its gateway tree is bound to loopback only', async () => {
    const pids = [child.pid!, ...(await listDescendants(child.pid!))];
    const inodes = new Set<number>();
    for (const pid of pids) for (const inode of await readSocketInodes(pid)) inodes.add(inode);
    const listeners = (await readTcpTable()).filter((socket) => socket.state === 'LISTEN' && inodes.has(socket.inode));
    expect(listeners.length).toBeGreaterThanOrEqual(2); // the API and the gateway at least
    for (const listener of listeners) expect(['127.0.0.1', '::1']).toContain(listener.localAddress);
  });

  it('the gateway token is in no process argv on this machine, and in no output', async () => {
    for (const pid of await listPids()) {
      let cmdline = '';
      try {
        cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue; // gone meanwhile
      }
      expect(cmdline).not.toContain(gatewayToken);
    }
    expect(output).not.toContain(gatewayToken);
  });

  it('secret files are 0600', () => {
    for (const name of ['gateway-token', 'device-identity.json', 'device-token', 'settings.json']) {
      const file = path.join(dataDir, name);
      if (name === 'settings.json' && !fs.existsSync(file)) continue; // only written once changed
      expect({ name, mode: (fs.statSync(file).mode & 0o777).toString(8) }).toEqual({ name, mode: '600' });
    }
  });

  it('stopping leaves nothing behind', async () => {
    const tree = [...(await listDescendants(child.pid!))];
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    for (const pid of tree) expect(isAlive(pid)).toBe(false);
  });
});
