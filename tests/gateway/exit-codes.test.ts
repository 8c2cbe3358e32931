// Exit codes of the real gateway process, and the doctor repair a supervisor runs once after exit 78.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports';
import { runReferenceGateway, startReferenceGateway, stopAllReferenceGateways } from '../helpers/reference-gateway';
import { closeAllClients, openClient } from './client';

const TOKEN = 'exit-code-test-token-51be';
const DOCTOR = ['doctor', '--fix', '--yes', '--non-interactive'];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refgw-exit-'));

afterEach(async () => {
  closeAllClients();
  await stopAllReferenceGateways();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('exit 78 (config invalid)', () => {
  it.each<[string, string | null, Record<string, string>, string[], RegExp]>([
    ['no token', null, {}, ['--port', '1'], /config invalid: OPENCLAW_GATEWAY_TOKEN is not set/],
    [
      'config file not JSON',
      TOKEN,
      { PINCER_REFGW_CONFIG: configFile('a.json', '{"gateway":') },
      ['--port', '1'],
      /config invalid: .*a\.json is not valid JSON/,
    ],
    [
      'config file not an object',
      TOKEN,
      { PINCER_REFGW_CONFIG: configFile('b.json', '"text"') },
      ['--port', '1'],
      /config invalid: .*must hold a JSON object/,
    ],
    ['lan bind without auth', null, {}, ['--port', '1', '--bind', 'lan'], /config invalid: refusing to bind lan without auth/],
  ])('%s', async (_name, token, env, args, message) => {
    const result = await runReferenceGateway(args, { token, env });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).not.toContain('listening');
  });
});

describe('doctor --fix --yes --non-interactive', () => {
  it('repairs an invalid config file; the retried gateway then starts', async () => {
    const env = { PINCER_REFGW_CONFIG: configFile('repairable.json', 'not json at all') };
    const port = await freePort();
    expect((await runReferenceGateway(['--port', String(port), '--bind', 'loopback'], { token: TOKEN, env })).code).toBe(78);

    const doctor = await runReferenceGateway(DOCTOR, { token: TOKEN, env });
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toMatch(/fixed: .*repairable\.json is not valid JSON.*\(rewritten to \{\}\)/);
    expect(fs.readFileSync(env.PINCER_REFGW_CONFIG, 'utf8')).toBe('{}\n');

    const retried = await startReferenceGateway({ port, token: TOKEN, env });
    expect(retried.stdout()).toMatch(/listening on 127\.0\.0\.1:/);
  });

  it('without --fix only reports, and leaves the file alone', async () => {
    const env = { PINCER_REFGW_CONFIG: configFile('report-only.json', '[') };
    const doctor = await runReferenceGateway(['doctor'], { token: TOKEN, env });
    expect(doctor.code).toBe(1);
    expect(doctor.stderr).toMatch(/cannot fix: .*report-only\.json is not valid JSON/);
    expect(fs.readFileSync(env.PINCER_REFGW_CONFIG, 'utf8')).toBe('[');
  });

  it('cannot invent a missing token: exits 1, and the gateway still exits 78', async () => {
    const doctor = await runReferenceGateway(DOCTOR, { token: null });
    expect(doctor.code).toBe(1);
    expect(doctor.stderr).toMatch(/cannot fix: OPENCLAW_GATEWAY_TOKEN is not set/);
    expect((await runReferenceGateway(['--port', '1'], { token: null })).code).toBe(78);
  });

  it('a repair that does not help: doctor finds nothing, the injected 78 stays', async () => {
    const env = { PINCER_REFGW_EXIT_CODE: '78' };
    expect((await runReferenceGateway(['--port', '1'], { token: TOKEN, env })).code).toBe(78);
    const doctor = await runReferenceGateway(DOCTOR, { token: TOKEN, env });
    expect(doctor).toMatchObject({ code: 0, stdout: expect.stringMatching(/no problems found/) });
    expect((await runReferenceGateway(['--port', '1'], { token: TOKEN, env })).code).toBe(78);
  });
});

describe('other exit codes', () => {
  it.each<[string, string[], Record<string, string>, number, RegExp]>([
    ['injected exit code', ['--port', '1'], { PINCER_REFGW_EXIT_CODE: '3' }, 3, /exiting with injected code 3/],
    ['token in argv refused', ['--port', '1', '--token', 'secret-in-argv'], {}, 2, /--token is not accepted/],
    ['bad port', ['--port', 'http'], {}, 2, /--port needs a number/],
    ['bad fault variable', ['--port', '1'], { PINCER_REFGW_HANG_AFTER_MS: 'soon' }, 2, /PINCER_REFGW_HANG_AFTER_MS must be an integer/],
  ])('%s → %i', async (_name, args, env, code, message) => {
    const result = await runReferenceGateway(args, { token: TOKEN, env });
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('secret-in-argv');
  });

  it('exits 1 naming EADDRINUSE when another process listens on the port', async () => {
    const port = await freePort();
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const result = await runReferenceGateway(['--port', String(port), '--bind', 'loopback'], { token: TOKEN });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`cannot listen on loopback port ${port}: EADDRINUSE`));
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('an injected crash exits 1 with the error on stderr and drops connected sockets', async () => {
    const port = await freePort();
    const gateway = await startReferenceGateway({ port, token: TOKEN, env: { PINCER_REFGW_CRASH_AFTER_MS: '2500' } });
    const client = await openClient(port, { token: TOKEN });
    expect((await client.connect()).ok).toBe(true);
    const exit = await gateway.exited;
    expect((await client.closed).code).toBe(1006);
    expect(exit).toEqual({ code: 1, signal: null });
    expect(gateway.stderr()).toMatch(/Error: injected crash \(PINCER_REFGW_CRASH_AFTER_MS\)/);
  });
});
