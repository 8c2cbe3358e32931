// Table tests of the reference gateway's pure parts: command line, fault variables, config, connect decisions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PORT, parseCommandLine } from '../../resources/gateway/src/cli';
import { readGatewayConfig, repairConfig } from '../../resources/gateway/src/config';
import { readFaults } from '../../resources/gateway/src/faults';
import { decideConnect, type HandshakeContext } from '../../resources/gateway/src/handshake';
import { CLIENT_MODES, buildConnectParams, connectErrorCode, generateDeviceKeyPair, readPairingRequestId } from '../../electron/core/protocol';
import { deviceTokenFor } from '../../resources/gateway/src/device-token';

describe('parseCommandLine', () => {
  it.each<[string[], unknown]>([
    [['--port', '19001', '--bind', 'loopback'], { kind: 'gateway', port: 19001, bind: 'loopback' }],
    [['gateway', '--port=19002', '--allow-unconfigured'], { kind: 'gateway', port: 19002, bind: 'loopback' }],
    [[], { kind: 'gateway', port: DEFAULT_PORT, bind: 'loopback' }],
    [['--bind', 'lan'], { kind: 'gateway', port: DEFAULT_PORT, bind: 'lan' }],
    [['doctor', '--fix', '--yes', '--non-interactive'], { kind: 'doctor', fix: true }],
    [['doctor'], { kind: 'doctor', fix: false }],
  ])('%j → %j', (argv, command) => {
    expect(parseCommandLine(argv)).toEqual({ ok: true, command });
  });

  it.each<[string[], RegExp]>([
    [['--port', '0'], /--port needs a number/],
    [['--port', '70000'], /--port needs a number/],
    [['--port'], /--port needs a number/],
    [['--port', '12ab'], /--port needs a number/],
    [['--bind', 'all'], /--bind must be one of loopback, lan/],
    [['--token', 'secret'], /not accepted: pass the token in OPENCLAW_GATEWAY_TOKEN/],
    [['--token=secret'], /not accepted/],
    [['--verbose'], /unknown option --verbose/],
    [['doctor', '--force'], /unknown doctor option --force/],
  ])('%j → usage error %s', (argv, message) => {
    const result = parseCommandLine(argv);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(message);
  });
});

describe('readFaults', () => {
  it('defaults: no faults, OpenClaw-like tuning', () => {
    expect(readFaults({})).toEqual({
      ok: true,
      faults: {
        exitCode: undefined,
        crashAfterMs: undefined,
        hangAfterMs: undefined,
        listenDelayMs: 0,
        startDelayMs: 0,
        refuseHandshake: undefined,
        neverCloseClients: false,
        spawnWorker: false,
        malformed: false,
        floodStdoutBytesPerSec: undefined,
      },
      tuning: { restartGapMs: 300, maxPayload: 25 * 1024 * 1024, tickIntervalMs: 15_000, handshakeTimeoutMs: 15_000 },
    });
  });

  it('reads every variable', () => {
    const result = readFaults({
      PINCER_REFGW_EXIT_CODE: '78',
      PINCER_REFGW_CRASH_AFTER_MS: '100',
      PINCER_REFGW_HANG_AFTER_MS: '200',
      PINCER_REFGW_LISTEN_DELAY_MS: '300',
      PINCER_REFGW_START_DELAY_MS: '400',
      PINCER_REFGW_REFUSE_HANDSHAKE: 'pairing',
      PINCER_REFGW_NEVER_CLOSE_CLIENTS: '1',
      PINCER_REFGW_SPAWN_WORKER: '1',
      PINCER_REFGW_MALFORMED: '1',
      PINCER_REFGW_FLOOD_STDOUT: '5000',
      PINCER_REFGW_RESTART_GAP_MS: '50',
      PINCER_REFGW_MAX_PAYLOAD: '4096',
      PINCER_REFGW_TICK_MS: '100',
      PINCER_REFGW_HANDSHAKE_TIMEOUT_MS: '500',
    });
    expect(result).toEqual({
      ok: true,
      faults: {
        exitCode: 78,
        crashAfterMs: 100,
        hangAfterMs: 200,
        listenDelayMs: 300,
        startDelayMs: 400,
        refuseHandshake: 'pairing',
        neverCloseClients: true,
        spawnWorker: true,
        malformed: true,
        floodStdoutBytesPerSec: 5000,
      },
      tuning: { restartGapMs: 50, maxPayload: 4096, tickIntervalMs: 100, handshakeTimeoutMs: 500 },
    });
  });

  it.each<[Record<string, string>, RegExp]>([
    [{ PINCER_REFGW_EXIT_CODE: '256' }, /PINCER_REFGW_EXIT_CODE must be an integer from 0 to 255/],
    [{ PINCER_REFGW_CRASH_AFTER_MS: '-1' }, /PINCER_REFGW_CRASH_AFTER_MS must be an integer/],
    [{ PINCER_REFGW_START_DELAY_MS: '1.5' }, /PINCER_REFGW_START_DELAY_MS/],
    [{ PINCER_REFGW_REFUSE_HANDSHAKE: 'everything' }, /must be one of token, protocol, pairing/],
    [{ PINCER_REFGW_SPAWN_WORKER: 'yes' }, /PINCER_REFGW_SPAWN_WORKER must be 1 or 0/],
    [{ PINCER_REFGW_MAX_PAYLOAD: '10' }, /PINCER_REFGW_MAX_PAYLOAD must be an integer from 1024/],
  ])('%j → %s', (env, message) => {
    const result = readFaults(env);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(message);
  });
});

describe('readGatewayConfig and repairConfig', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refgw-config-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content?: string) => {
    const filePath = path.join(dir, name);
    if (content !== undefined) fs.writeFileSync(filePath, content);
    return filePath;
  };

  it.each<[string, Record<string, string>, 'loopback' | 'lan', RegExp | null]>([
    ['token only', { OPENCLAW_GATEWAY_TOKEN: 't' }, 'loopback', null],
    ['valid config file', { OPENCLAW_GATEWAY_TOKEN: 't', PINCER_REFGW_CONFIG: file('ok.json', '{"a":1}') }, 'loopback', null],
    ['lan with a token', { OPENCLAW_GATEWAY_TOKEN: 't' }, 'lan', null],
    ['no token', {}, 'loopback', /OPENCLAW_GATEWAY_TOKEN is not set/],
    ['blank token', { OPENCLAW_GATEWAY_TOKEN: '  ' }, 'loopback', /OPENCLAW_GATEWAY_TOKEN is not set/],
    ['lan without auth', {}, 'lan', /refusing to bind lan without auth/],
    ['config not JSON', { OPENCLAW_GATEWAY_TOKEN: 't', PINCER_REFGW_CONFIG: file('bad.json', '{oops') }, 'loopback', /is not valid JSON/],
    ['config an array', { OPENCLAW_GATEWAY_TOKEN: 't', PINCER_REFGW_CONFIG: file('array.json', '[]') }, 'loopback', /must hold a JSON object/],
    ['config missing', { OPENCLAW_GATEWAY_TOKEN: 't', PINCER_REFGW_CONFIG: file('missing.json') }, 'loopback', /cannot read .*ENOENT/],
  ])('%s', (_name, env, bind, problem) => {
    const result = readGatewayConfig(env, bind);
    if (problem === null) expect(result).toEqual({ ok: true, config: { token: env.OPENCLAW_GATEWAY_TOKEN!.trim() } });
    else expect(!result.ok && result.message).toMatch(problem);
  });

  it('repairConfig reports without --fix, rewrites to {} with it, and cannot invent a token', () => {
    const bad = file('repair.json', 'not json');
    expect(repairConfig({ PINCER_REFGW_CONFIG: bad, OPENCLAW_GATEWAY_TOKEN: 't' }, false)).toEqual({
      fixed: [],
      remaining: [expect.stringMatching(/is not valid JSON/)],
    });
    expect(fs.readFileSync(bad, 'utf8')).toBe('not json');
    expect(repairConfig({ PINCER_REFGW_CONFIG: bad, OPENCLAW_GATEWAY_TOKEN: 't' }, true)).toEqual({
      fixed: [expect.stringMatching(/rewritten to \{\}/)],
      remaining: [],
    });
    expect(fs.readFileSync(bad, 'utf8')).toBe('{}\n');
    expect(repairConfig({ PINCER_REFGW_CONFIG: bad }, true)).toEqual({ fixed: [], remaining: ['OPENCLAW_GATEWAY_TOKEN is not set'] });
  });
});

describe('decideConnect', () => {
  const keyPair = generateDeviceKeyPair();
  const challenge = { nonce: 'nonce-1', ts: 1_700_000_000_000 };
  const context: HandshakeContext = { token: 'shared', challenge, starting: false, deviceTokenFor: (id) => deviceTokenFor('shared', id) };
  const params = (token = 'shared') =>
    buildConnectParams({
      client: { version: '1', platform: 'linux', mode: CLIENT_MODES.BACKEND },
      scopes: ['operator.read'],
      token,
      keyPair,
      challenge,
    });
  const deviceId = params().device!.id;

  it('accepts the shared token and an issued device token', () => {
    expect(decideConnect(params(), context)).toMatchObject({ ok: true, deviceId });
    expect(decideConnect(params(deviceTokenFor('shared', deviceId)), context)).toMatchObject({ ok: true, deviceId });
    // Derived from the shared token: another gateway token issues other device tokens.
    expect(deviceTokenFor('other', deviceId)).not.toBe(deviceTokenFor('shared', deviceId));
  });

  it.each<[string, () => unknown, Partial<HandshakeContext>, string, string, number]>([
    ['params not an object', () => 'x', {}, 'INVALID_REQUEST', 'INVALID_REQUEST', 1008],
    ['unknown client id', () => ({ ...params(), client: { ...params().client, id: 'pincer' } }), {}, 'INVALID_REQUEST', 'INVALID_REQUEST', 1008],
    ['protocol 5 only', () => ({ ...params(), minProtocol: 5, maxProtocol: 5 }), {}, 'INVALID_REQUEST', 'PROTOCOL_MISMATCH', 1002],
    ['protocol refused by fault', () => params(), { refuse: 'protocol' }, 'INVALID_REQUEST', 'PROTOCOL_MISMATCH', 1002],
    ['still starting', () => params(), { starting: true }, 'UNAVAILABLE', 'UNAVAILABLE', 1013],
    ['role node', () => ({ ...params(), role: 'node' }), {}, 'INVALID_REQUEST', 'INVALID_REQUEST', 1008],
    ['no device', () => ({ ...params(), device: undefined }), {}, 'NOT_PAIRED', 'DEVICE_IDENTITY_REQUIRED', 1008],
    ['no credential', () => ({ ...params(), auth: {} }), {}, 'INVALID_REQUEST', 'AUTH_TOKEN_MISSING', 1008],
    ['wrong token', () => params('wrong'), {}, 'INVALID_REQUEST', 'AUTH_TOKEN_MISMATCH', 1008],
    ['token refused by fault', () => params(), { refuse: 'token' }, 'INVALID_REQUEST', 'AUTH_TOKEN_MISMATCH', 1008],
    [
      'unknown device token',
      () => ({ ...params(), auth: { deviceToken: 'never-issued' } }),
      {},
      'INVALID_REQUEST',
      'AUTH_DEVICE_TOKEN_MISMATCH',
      1008,
    ],
    [
      'signature of another token',
      () => ({ ...params('other'), auth: { token: 'shared' } }),
      {},
      'INVALID_REQUEST',
      'DEVICE_AUTH_SIGNATURE_INVALID',
      1008,
    ],
    [
      'nonce of another challenge',
      () => params(),
      { challenge: { ...challenge, nonce: 'nonce-2' } },
      'INVALID_REQUEST',
      'DEVICE_AUTH_NONCE_MISMATCH',
      1008,
    ],
    ['pairing refused by fault', () => params(), { refuse: 'pairing' }, 'NOT_PAIRED', 'PAIRING_REQUIRED', 1008],
  ])('%s → %s/%s, close %i', (_name, raw, overrides, code, detailCode, closeCode) => {
    const decision = decideConnect(raw(), { ...context, ...overrides });
    expect(decision.ok).toBe(false);
    if (decision.ok) return;
    expect(decision.error.code).toBe(code);
    expect(connectErrorCode(decision.error)).toBe(detailCode);
    expect(decision.close.code).toBe(closeCode);
  });

  it('a pairing refusal carries a request id, also in the close reason', () => {
    const decision = decideConnect(params(), { ...context, refuse: 'pairing' });
    if (decision.ok) throw new Error('expected a refusal');
    const requestId = readPairingRequestId(decision.error);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(decision.close.reason).toContain(requestId);
  });
});
