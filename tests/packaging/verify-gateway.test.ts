// gateway:openclaw's (and pack:check's) verification step on real processes: the reference
// gateway passes it; a gateway that dies, or that leaves a process behind, fails it — and the
// leftover is killed, not leaked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../electron/core/process/tree';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/schema';
import { verifyGateway } from '../../scripts/gateway-openclaw/verify';
import { buildReferenceGateway } from '../helpers/reference-gateway';
import { waitFor } from '../helpers/wait';

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-verify-'));
const strays: number[] = [];
afterAll(() => {
  for (const pid of strays) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  fs.rmSync(temp, { recursive: true, force: true });
});

function script(name: string, source: string): string {
  const file = path.join(temp, name);
  fs.writeFileSync(file, source);
  return file;
}

/** Answers /readyz, starts a child that ignores SIGTERM's fate, and writes that child's pid. */
const LEAKY_GATEWAY = `
const http = require('node:http');
const { spawn } = require('node:child_process');
const port = Number(process.argv[process.argv.indexOf('--port') + 1]);
const stray = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
require('node:fs').writeFileSync(process.env.STRAY_PID_FILE, String(stray.pid));
http.createServer((req, res) => { res.statusCode = req.url === '/readyz' ? 200 : 404; res.end(); }).listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

describe('verifyGateway', () => {
  it('passes the reference gateway: ready, SIGTERM → exit 0, its worker gone', async () => {
    const entry = await buildReferenceGateway();
    const result = await verifyGateway({ node: process.execPath, entry }, { readyTimeoutMs: 30_000, stopTimeoutMs: 10_000 });
    expect(result.exitCode).toBe(0);
    expect(result.port).not.toBe(DEFAULT_SETTINGS.gatewayPort);
    expect(result.readyMs).toBeGreaterThan(0);
  });

  it('fails fast, with the gateway’s own output, when the gateway exits before it is ready', async () => {
    const entry = script('dies.cjs', `console.error('config is broken'); process.exit(3);`);
    const started = Date.now();
    await expect(verifyGateway({ node: process.execPath, entry }, { readyTimeoutMs: 30_000 })).rejects.toThrow(
      /exited early \(code 3\)[\s\S]*config is broken/,
    );
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('fails when a process outlives the gateway, and kills that process', async () => {
    const entry = script('leaky.cjs', LEAKY_GATEWAY);
    const pidFile = path.join(temp, 'stray.pid');
    const env = { ...process.env, STRAY_PID_FILE: pidFile };
    const verifying = verifyGateway({ node: process.execPath, entry }, { readyTimeoutMs: 30_000, stopTimeoutMs: 10_000, env });
    const stray = await waitFor(() => fs.existsSync(pidFile) && Number(fs.readFileSync(pidFile, 'utf8')), { what: 'the stray pid' });
    strays.push(stray);
    await expect(verifying).rejects.toThrow(new RegExp(`processes left behind after the gateway exited: ${stray}`));
    await waitFor(() => !isAlive(stray), { what: 'the stray to be killed' });
  });
});
