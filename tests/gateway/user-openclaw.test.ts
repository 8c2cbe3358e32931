// The pure policies behind running a user's OpenClaw: engines ranges, the Node check, reading the
// config (JSON5), the credential in OpenClaw's precedence (token, password, SecretRefs), who runs an
// attached gateway and what Restart / Stop may do to it, installed service files, and reading
// `openclaw dashboard --json`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDashboardJson } from '../../electron/core/gateway/control-ui';
import { connectCredential, CredentialError, gatewayCredential } from '../../electron/core/gateway/credential';
import { parseVersion, satisfies } from '../../electron/core/gateway/engines';
import { externalControls, managerOf } from '../../electron/core/gateway/external';
import { checkRuntime } from '../../electron/core/gateway/node-runtime';
import { findInstalledServices } from '../../electron/core/gateway/service-files';
import { configFile, readGatewaySection, readUserConfig } from '../../electron/core/gateway/user-config';
import { virtualFiles } from './virtual-files';

const OPENCLAW_ENGINES = '>=24.16.0 <25 || >=26.1.0';

describe('engines ranges', () => {
  it.each([
    ['24.21.0', OPENCLAW_ENGINES, true],
    ['24.16.0', OPENCLAW_ENGINES, true],
    ['24.15.9', OPENCLAW_ENGINES, false],
    ['25.2.0', OPENCLAW_ENGINES, false],
    ['26.1.0', OPENCLAW_ENGINES, true],
    ['20.20.2', OPENCLAW_ENGINES, false],
    ['22.19.0', '>= 22.19', true],
    ['24.0.0', '^22.12.0', false],
    ['22.20.1', '^22.12.0', true],
    ['22.13.0', '~22.12.0', false],
    ['24.3.0', '24.x', true],
    ['23.9.0', '24', false],
    ['18.0.0', undefined, true],
  ] as const)('%s in %s → %s', (version, range, expected) => {
    expect(satisfies(parseVersion(version)!, range)).toBe(expected);
  });
});

describe('the Node check before a start', () => {
  it('passes a Node that meets engines', () => {
    expect(checkRuntime({ node: '/n/node', version: '24.21.0', engines: OPENCLAW_ENGINES })).toEqual({ ok: true });
  });
  it('refuses an older Node, naming the version found, the one needed and the fix', () => {
    const verdict = checkRuntime({ node: '/usr/bin/node', version: '20.20.2', engines: OPENCLAW_ENGINES, packageVersion: '2026.9.6' });
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.message).toContain('OpenClaw 2026.9.6 needs Node >=24.16.0');
    expect(verdict.message).toContain('(/usr/bin/node) is 20.20.2');
    expect(verdict.message).toMatch(/Install Node 24|nodePath/);
  });
  it('refuses a Node that does not run', () => {
    expect(checkRuntime({ node: '/gone/node', version: undefined, engines: OPENCLAW_ENGINES }).ok).toBe(false);
  });
});

describe('the user’s OpenClaw config', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-userconfig-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('is OPENCLAW_CONFIG_PATH, else <OPENCLAW_STATE_DIR or ~/.openclaw>/openclaw.json', () => {
    expect(configFile({}, '/home/u')).toBe(path.join('/home/u', '.openclaw', 'openclaw.json'));
    expect(configFile({ OPENCLAW_STATE_DIR: '/state' }, '/home/u')).toBe(path.join('/state', 'openclaw.json'));
    expect(configFile({ OPENCLAW_CONFIG_PATH: '/c.json5', OPENCLAW_STATE_DIR: '/state' }, '/home/u')).toBe('/c.json5');
  });

  it('reads JSON5 (comments, trailing commas, unquoted keys) and the gateway section', () => {
    const home = path.join(root, 'home');
    fs.mkdirSync(path.join(home, '.openclaw'), { recursive: true });
    fs.writeFileSync(
      path.join(home, '.openclaw', 'openclaw.json'),
      '// mine\n{ gateway: { mode: "local", port: 19011, auth: { mode: "token", token: "abc", }, }, }\n',
    );
    expect(readUserConfig({}, home)).toMatchObject({ exists: true, configured: true, port: 19011, authMode: 'token', token: 'abc' });
  });

  it('a missing file is an unconfigured gateway, a broken one a problem that names the file', () => {
    expect(readUserConfig({ OPENCLAW_CONFIG_PATH: path.join(root, 'none.json') }, root)).toMatchObject({ exists: false, configured: false });
    fs.writeFileSync(path.join(root, 'broken.json'), '{ gateway: ');
    const broken = readUserConfig({ OPENCLAW_CONFIG_PATH: path.join(root, 'broken.json') }, root);
    expect(broken.configured).toBe(false);
    expect(broken.problem).toContain('broken.json');
  });

  it.each([
    [{ gateway: { port: 0 } }, undefined],
    [{ gateway: { port: '19000' } }, undefined],
    [{ gateway: { port: 19000 } }, 19000],
  ])('port of %j → %s', (parsed, port) => {
    expect(readGatewaySection(parsed, 'f').port).toBe(port);
  });
});

describe('the credential the gateway requires', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-credential-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const config = (gateway: unknown, extra: Record<string, unknown> = {}) =>
    readGatewaySection({ gateway, ...extra }, '/home/u/.openclaw/openclaw.json');

  it.each([
    ['nothing configured → Pincer’s own token', {}, {}, { kind: 'pincer' }],
    ['a token in the config', { auth: { token: 'cfg-token' } }, {}, { kind: 'token', secret: 'cfg-token', from: 'config' }],
    [
      'OPENCLAW_GATEWAY_TOKEN outranks the config',
      { auth: { token: 'cfg-token' } },
      { OPENCLAW_GATEWAY_TOKEN: 'env-token' },
      { kind: 'token', secret: 'env-token', from: 'environment' },
    ],
    ['password mode', { auth: { mode: 'password', password: 'pw' } }, {}, { kind: 'password', secret: 'pw', from: 'config' }],
    ['only a password set (mode unset) → password', { auth: { password: 'pw' } }, {}, { kind: 'password', secret: 'pw', from: 'config' }],
    [
      'OPENCLAW_GATEWAY_PASSWORD',
      { auth: { mode: 'password' } },
      { OPENCLAW_GATEWAY_PASSWORD: 'envpw' },
      { kind: 'password', secret: 'envpw', from: 'environment' },
    ],
    [
      'env SecretRef object',
      { auth: { token: { source: 'env', provider: 'default', id: 'MY_TOKEN' } } },
      { MY_TOKEN: 'from-env' },
      { kind: 'token', secret: 'from-env', from: 'secret-ref' },
    ],
    ['"${VAR}" shorthand', { auth: { token: '${MY_TOKEN}' } }, { MY_TOKEN: 'from-env' }, { kind: 'token', secret: 'from-env', from: 'secret-ref' }],
    ['auth mode none', { auth: { mode: 'none' } }, {}, { kind: 'none', mode: 'none' }],
  ] as const)('%s', (_name, gateway, env, expected) => {
    expect(gatewayCredential(config(gateway), env)).toEqual(expected);
  });

  it('resolves a file SecretRef (JSON pointer) through its provider', () => {
    const file = path.join(root, 'secrets.json');
    fs.writeFileSync(file, JSON.stringify({ gateway: { token: 'from-file' } }), { mode: 0o600 });
    const parsed = config(
      { auth: { token: { source: 'file', provider: 'filemain', id: '/gateway/token' } } },
      { secrets: { providers: { filemain: { source: 'file', path: file } } } },
    );
    expect(gatewayCredential(parsed, {})).toEqual({ kind: 'token', secret: 'from-file', from: 'secret-ref' });
  });

  it.each([
    ['an unset env variable', { auth: { token: { source: 'env', id: 'MISSING_TOKEN' } } }, /MISSING_TOKEN is not set/],
    ['an exec provider', { auth: { token: { source: 'exec', provider: 'vault', id: 'gw/token' } } }, /exec SecretRefs are resolved only by OpenClaw/],
    ['password mode without a password', { auth: { mode: 'password' } }, /no password is set/],
  ] as const)('cannot resolve %s: a clear error naming the fix, never a guess', (_name, gateway, message) => {
    expect(() => gatewayCredential(config(gateway), {})).toThrow(CredentialError);
    expect(() => gatewayCredential(config(gateway), {})).toThrow(message);
  });

  it('the control connection gets the token, or the password instead', () => {
    expect(connectCredential({ kind: 'pincer' }, 'pincer-token')).toEqual({ token: 'pincer-token' });
    expect(connectCredential({ kind: 'token', secret: 't', from: 'config' }, 'pincer-token')).toEqual({ token: 't' });
    expect(connectCredential({ kind: 'password', secret: 'p', from: 'config' }, 'pincer-token')).toEqual({ token: '', password: 'p' });
  });
});

describe('an attached gateway: who runs it, what Restart and Stop do', () => {
  it.each([
    [
      'systemd user unit',
      { cgroup: '0::/user.slice/user-1000.slice/user@1000.service/app.slice/openclaw-gateway.service\n', environ: { INVOCATION_ID: 'x' } },
      { manager: 'systemd', unit: 'openclaw-gateway.service' },
    ],
    [
      'a hand-started process in a terminal scope',
      { cgroup: '0::/user.slice/user-1000.slice/session-3.scope\n', environ: {} },
      { manager: 'manual' },
    ],
    ['a shell inside some other service is not that service', { cgroup: '0::/system.slice/ssh.service\n', environ: {} }, { manager: 'manual' }],
    ['launchd agent', { environ: { XPC_SERVICE_NAME: 'ai.openclaw.gateway' } }, { manager: 'launchd', unit: 'ai.openclaw.gateway' }],
    ['Scheduled Task', { environ: { OPENCLAW_WINDOWS_TASK_NAME: 'OpenClaw Gateway' } }, { manager: 'schtasks', unit: 'OpenClaw Gateway' }],
    ['nothing readable', {}, { manager: 'unknown' }],
  ] as const)('%s', (_name, facts, expected) => {
    expect(managerOf(facts)).toEqual(expected);
  });

  it.each([
    ['systemd, CLI available', { manager: 'systemd', cli: true }, { restart: { how: 'service' }, stop: { how: 'service' } }],
    [
      'launchd, no CLI',
      { manager: 'launchd', cli: false },
      {
        restart: { disabled: expect.stringContaining('openclaw gateway restart'), why: 'service' },
        stop: { disabled: expect.stringContaining('openclaw gateway stop'), why: 'service' },
      },
    ],
    [
      'hand-started OpenClaw on Linux: SIGUSR2, never stopped',
      { manager: 'manual', cli: true },
      { restart: { how: 'signal' }, stop: { disabled: expect.stringContaining('where it was started'), why: 'hand-started' } },
    ],
    [
      'hand-started OpenClaw on Windows: no signal',
      { manager: 'manual', cli: true, platform: 'win32' },
      { restart: { disabled: expect.stringContaining('Windows'), why: 'windows' }, stop: { disabled: expect.any(String), why: 'hand-started' } },
    ],
    [
      'a gateway without a signal restart',
      { manager: 'manual', cli: false, signalRestart: false },
      {
        restart: { disabled: expect.stringContaining('cannot restart'), why: 'no-restart' },
        stop: { disabled: expect.any(String), why: 'hand-started' },
      },
    ],
    [
      'no pid',
      { manager: 'unknown', cli: true, pid: undefined },
      {
        restart: { disabled: expect.stringContaining('identified'), why: 'unidentified' },
        stop: { disabled: expect.any(String), why: 'hand-started' },
      },
    ],
  ] as const)('%s', (_name, input, expected) => {
    const full = { pid: 42, platform: 'linux' as NodeJS.Platform, signalRestart: true, ...input };
    expect(externalControls(full)).toEqual(expected);
  });
});

describe('installed OpenClaw service files', () => {
  it.each([
    [
      'linux',
      { '/home/u/.config/systemd/user/openclaw-gateway.service': '[Unit]', '/home/u/.config/systemd/user/other.service': '' },
      [{ manager: 'systemd', file: '/home/u/.config/systemd/user/openclaw-gateway.service' }],
    ],
    [
      'darwin',
      { '/home/u/Library/LaunchAgents/ai.openclaw.gateway.plist': '<plist/>' },
      [{ manager: 'launchd', file: '/home/u/Library/LaunchAgents/ai.openclaw.gateway.plist' }],
    ],
    ['linux', {}, []],
  ] as const)('%s', (platform, tree, expected) => {
    const files = virtualFiles(platform, tree);
    expect(findInstalledServices({ platform, env: {}, home: '/home/u', stateDir: '/home/u/.openclaw', files })).toEqual(expected);
  });
  it('win32: the Scheduled Task’s gateway.cmd in the state dir', () => {
    const files = virtualFiles('win32', { 'C:\\Users\\u\\.openclaw\\gateway.cmd': '@echo off' });
    expect(findInstalledServices({ platform: 'win32', env: {}, home: 'C:\\Users\\u', stateDir: 'C:\\Users\\u\\.openclaw', files })).toEqual([
      { manager: 'schtasks', file: 'C:\\Users\\u\\.openclaw\\gateway.cmd' },
    ]);
  });
});

describe('`openclaw dashboard --json`', () => {
  const ok = (browserUrl: string) => `noise\n${JSON.stringify({ ok: true, url: 'http://127.0.0.1:1/#token=x', browserUrl })}\n`;
  it('gives the one-time browser link (bootstrap in the fragment)', () => {
    expect(readDashboardJson(ok('http://127.0.0.1:28901/#bootstrapToken=abc&bootstrapProfile=owner'))).toBe(
      'http://127.0.0.1:28901/#bootstrapToken=abc&bootstrapProfile=owner',
    );
  });
  it.each([
    ['a remote host', ok('http://example.com/#bootstrapToken=abc'), /does not point at this machine/],
    ['a secret in the query string', ok('http://127.0.0.1:1/?token=abc'), /does not point at this machine/],
    ['ok:false with its reason', '{"ok":false,"reason":"gateway not ready"}', /gateway not ready/],
    ['no JSON at all', 'Error: boom', /no answer/],
  ])('refuses %s', (_name, stdout, message) => {
    expect(() => readDashboardJson(stdout)).toThrow(message);
  });
});
