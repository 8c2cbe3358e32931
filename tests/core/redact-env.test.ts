import { describe, expect, it } from 'vitest';
import { buildGatewayEnv, portableGatewayDirs } from '../../electron/core/gateway/env';
import { createRedactor } from '../../electron/core/redact';

describe('createRedactor', () => {
  const token = 'tok_4f9a8b7c6d5e4f3a2b1c';
  it.each([
    [`token=${token}`, 'token=[redacted]'],
    [`${token} and ${token}`, '[redacted] and [redacted]'],
    ['nothing secret here', 'nothing secret here'],
  ])('%s → %s', (input, output) => {
    expect(createRedactor([token])(input)).toBe(output);
  });
  it('ignores secrets too short to be real tokens', () => {
    expect(createRedactor(['a'])('banana')).toBe('banana');
  });
});

describe('buildGatewayEnv', () => {
  const base = {
    PATH: '/usr/bin',
    INVOCATION_ID: 'x',
    JOURNAL_STREAM: '1:2',
    SYSTEMD_EXEC_PID: '9',
    OPENCLAW_SYSTEMD_UNIT: 'u',
    PINCER_API_TOKEN: 'api',
    OPENCLAW_GATEWAY_TOKEN: 'stale',
    EMPTY: undefined,
  };
  it('puts the token in env, strips systemd hints and Pincer secrets, keeps the rest', () => {
    const env = buildGatewayEnv({ base, token: 'T0KEN-123456789', extra: { EXTRA: '1' } });
    expect(env).toEqual({
      PATH: '/usr/bin',
      EXTRA: '1',
      OPENCLAW_NO_RESPAWN: '1',
      OPENCLAW_EXEC_SHELL_SNAPSHOT: '0',
      OPENCLAW_GATEWAY_TOKEN: 'T0KEN-123456789',
    });
  });
  it("injects no token for a gateway with its own credential: the user's OPENCLAW_GATEWAY_TOKEN passes through untouched", () => {
    expect(buildGatewayEnv({ base, token: undefined, extra: {} }).OPENCLAW_GATEWAY_TOKEN).toBe('stale');
    expect(buildGatewayEnv({ base: { PATH: '/usr/bin' }, token: undefined, extra: {} })).not.toHaveProperty('OPENCLAW_GATEWAY_TOKEN');
  });
  it('portable mode moves OpenClaw state, temp files and caches into the data dir', () => {
    const env = buildGatewayEnv({ base: { TMPDIR: '/tmp', HOME: '/home/ann' }, token: 't', extra: {}, portable: portableGatewayDirs('/usb/data') });
    expect(env).toMatchObject({
      OPENCLAW_STATE_DIR: '/usb/data/openclaw',
      TMPDIR: '/usb/data/openclaw/tmp',
      TMP: '/usb/data/openclaw/tmp',
      TEMP: '/usb/data/openclaw/tmp',
      XDG_CACHE_HOME: '/usb/data/openclaw/cache',
      npm_config_cache: '/usb/data/openclaw/npm',
      HOME: '/home/ann',
    });
  });
});
