// The pincer CLI (dist/pincer.cjs, as package.json bin runs it) against a real running headless
// twin: found through the data dir alone, human and --json output, documented exit codes.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogLine } from '../../electron/core/api';
import { isAlive, listDescendants } from '../../electron/core/process/tree';
import type { GatewayStatus } from '../../electron/core/status';
import { buildAll } from '../helpers/build';
import { freePort } from '../helpers/ports';
import { startTwin, type Twin } from '../helpers/twin';
import { waitFor } from '../helpers/wait';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(command: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: ROOT, timeout: 150_000, env: { ...process.env, PINCER_DATA_DIR: '' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const pincer = (...args: string[]) => runCli(process.execPath, [path.join(ROOT, 'dist/pincer.cjs'), ...args]);

describe('pincer CLI against a running headless twin', () => {
  let twin: Twin;
  let dataDir: string;

  beforeAll(async () => {
    await buildAll();
    twin = await startTwin({ gatewayPort: await freePort() });
    dataDir = twin.dataDir;
    await waitFor(async () => (await twin.status()).state === 'running', { what: 'the gateway running' });
  });

  afterAll(async () => {
    await twin.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('status: names the instance and the gateway; --json gives the GatewayStatus', async () => {
    const status = await twin.status();
    const human = await pincer('status', '--data-dir', dataDir);
    expect(human).toMatchObject({ code: 0, stderr: '' });
    expect(human.stdout).toContain(`(headless, pid ${twin.pid}) on ${dataDir} — API http://127.0.0.1:${twin.apiPort}/api`);
    expect(human.stdout).toContain(`gateway: running — pid ${status.pid}, port ${status.port}`);

    const json = await pincer('status', '--json', '--data-dir', dataDir);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { instance: { pid: number; api: Record<string, string> }; status: GatewayStatus };
    expect(parsed.instance).toMatchObject({ pid: twin.pid, kind: 'headless', api: { url: `http://127.0.0.1:${twin.apiPort}/api` } });
    expect(parsed.instance.api.token).toBeUndefined(); // the token stays in the 0600 file
    expect(parsed.status).toMatchObject({ state: 'running', pid: status.pid });
  });

  it('stop, start and restart wait until they took effect', async () => {
    const before = await twin.status();
    const stopped = await pincer('stop', '--json', '--data-dir', dataDir);
    expect(stopped.code).toBe(0);
    expect(JSON.parse(stopped.stdout)).toMatchObject({ state: 'stopped' });
    expect(isAlive(before.pid!)).toBe(false);

    const started = await pincer('start', '--data-dir', dataDir);
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/^gateway: running — pid \d+/);
    const running = await twin.status();
    expect(running.state).toBe('running');

    const restarted = await pincer('restart', '--json', '--data-dir', dataDir);
    expect(restarted.code).toBe(0);
    const after = JSON.parse(restarted.stdout) as GatewayStatus;
    expect(after).toMatchObject({ state: 'running', restarts: running.restarts + 1 });
    expect(after.pid).not.toBe(running.pid);
  });

  it('logs: the recent lines, as text or JSON', async () => {
    const text = await pincer('logs', '--data-dir', dataDir);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^\d\d:\d\d:\d\d\.\d{3} \[(stdout|stderr|pincer) (debug|info|warn|error)\] /m);
    const json = await pincer('logs', '--json', '--data-dir', dataDir);
    const lines = JSON.parse(json.stdout) as LogLine[];
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((line) => line.source === 'pincer')).toBe(true);
  });

  it('open: headless prints the dashboard link with the token', async () => {
    const open = await pincer('open', '--data-dir', dataDir);
    expect(open).toMatchObject({ code: 0, stdout: `Dashboard: ${twin.dashboardUrl}\n` });
  });

  it('bad command lines get the usage and exit 2', async () => {
    for (const args of [[], ['frobnicate'], ['status', 'stop'], ['status', '--follow'], ['status', '--colour']]) {
      const result = await pincer(...args, '--data-dir', dataDir);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('Usage: pincer <command>');
    }
    const help = await pincer('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0 done, 1 failed, 2 usage, 4 no Pincer running on the data dir.');
  });

  it('npm run pincer -- status works in the checkout', async () => {
    const result = await runCli('npm', ['run', '--silent', 'pincer', '--', 'status', '--json', '--data-dir', dataDir]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).instance.pid).toBe(twin.pid);
  });

  it('quit: the gateway stops gracefully, the twin exits 0 and leaves nothing; then "no instance" exits 4', async () => {
    const status = await twin.status();
    const tree = [status.pid!, ...(await listDescendants(status.pid!))];
    // A follower started before the quit sees the gateway's last lines and ends with the instance.
    const follower = spawn(process.execPath, [path.join(ROOT, 'dist/pincer.cjs'), 'logs', '--follow', '--json', '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let followed = '';
    follower.stdout.setEncoding('utf8').on('data', (chunk: string) => (followed += chunk));
    const followerExit = new Promise<number | null>((resolve) => follower.once('exit', resolve));
    await waitFor(() => followed.length > 0, { what: 'the follower to print the tail' });
    const tailLength = followed.split('\n').filter(Boolean).length;

    const quit = await pincer('quit', '--data-dir', dataDir);
    expect(quit).toMatchObject({ code: 0, stdout: `Pincer (pid ${twin.pid}) stopped its gateway and quit.\n` });
    expect(await twin.stop()).toEqual({ code: 0, signal: null });
    for (const pid of tree) expect(isAlive(pid)).toBe(false);
    expect(fs.readFileSync(path.join(dataDir, 'logs', 'main.log'), 'utf8')).toContain('quit (API): stopping the gateway');
    expect(fs.existsSync(path.join(dataDir, 'pincer.lock'))).toBe(false);
    expect(await followerExit).toBe(0);
    const lines = followed
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogLine);
    expect(lines.length).toBeGreaterThan(tailLength);
    expect(lines.slice(tailLength).some((line) => line.source === 'pincer' && /exited/.test(line.text))).toBe(true);

    for (const command of ['status', 'quit', 'logs']) {
      const none = await pincer(command, '--data-dir', dataDir);
      expect(none).toMatchObject({ code: 4, stdout: '', stderr: `pincer: no Pincer is running on the data dir ${dataDir}\n` });
    }
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-none-'));
    expect((await pincer('status', '--json', '--data-dir', empty)).code).toBe(4);
    fs.rmSync(empty, { recursive: true, force: true });
  });
});
