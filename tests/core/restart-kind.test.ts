// Which restart a "Restart gateway" gets: in-process (SIGUSR2) only for a healthy OpenClaw of ours
// whose program, arguments and environment did not change; otherwise a full restart, with the reason.
import { describe, expect, it } from 'vitest';
import { unavailableReason } from '../../electron/core/controls';
import type { LaunchSpec } from '../../electron/core/launcher/types';
import { chooseRestart, sameLaunch, type RestartFacts } from '../../electron/core/policy/restart-kind';

const spec = (over: Partial<LaunchSpec> = {}): LaunchSpec => ({
  mode: 'fork',
  file: '/u/lib/node_modules/openclaw/openclaw.mjs',
  args: ['gateway', '--port', '40001', '--bind', 'loopback'],
  env: { HOME: '/home/u', OPENCLAW_NO_RESPAWN: '1' },
  execPath: '/usr/bin/node',
  serviceName: 'Pincer Gateway',
  ...over,
});

const healthy: RestartFacts = { full: false, inProcess: true, platform: 'linux', healthy: true, owned: true, launched: spec(), next: spec() };

describe('restart kind', () => {
  it.each<[string, Partial<RestartFacts>, string]>([
    ['healthy OpenClaw, nothing changed', {}, 'in-process'],
    ['full restart asked for', { full: true }, 'a full restart was asked for'],
    ['a gateway without an in-process restart', { inProcess: false }, 'no in-process restart'],
    ['an attached gateway', { owned: false }, 'did not start'],
    ['Windows', { platform: 'win32' }, 'Windows'],
    ['not healthy (reconnecting, error)', { healthy: false }, 'not healthy'],
    ['an environment variable changed', { next: spec({ env: { HOME: '/home/u', OPENCLAW_NO_RESPAWN: '1', EXTRA: 'x' } }) }, 'changed'],
    ['another Node', { next: spec({ execPath: '/opt/node24/bin/node' }) }, 'changed'],
    ['other arguments', { next: spec({ args: ['gateway', '--port', '40001', '--bind', 'loopback', '--allow-unconfigured'] }) }, 'changed'],
    ['the program could not be resolved', { next: undefined }, 'could not be resolved'],
  ])('%s', (_name, over, expected) => {
    const decision = chooseRestart({ ...healthy, ...over });
    if (expected === 'in-process') expect(decision).toEqual({ kind: 'in-process' });
    else expect(decision).toMatchObject({ kind: 'full', reason: expect.stringContaining(expected) });
  });

  it('sameLaunch ignores key order, not values', () => {
    expect(sameLaunch(spec({ env: { A: '1', B: '2' } }), spec({ env: { B: '2', A: '1' } }))).toBe(true);
    expect(sameLaunch(spec({ env: { A: '1' } }), spec({ env: { A: '2' } }))).toBe(false);
  });
});

describe('controls on an attached gateway', () => {
  const attached = { state: 'running' as const, pid: 9, attached: true };
  const handStarted = { disabled: 'stop it where it was started', why: 'hand-started' as const };
  it.each([
    ['restart by signal', { restart: { how: 'signal' as const }, stop: handStarted }, 'restart', ''],
    [
      'restart disabled, with the reason',
      { restart: { disabled: 'no signals on Windows', why: 'windows' as const }, stop: handStarted },
      'restart',
      'OpenClaw restarts in-process only by signal, which Windows does not have.',
    ],
    ['stop through its service', { restart: { how: 'service' as const }, stop: { how: 'service' as const } }, 'stop', ''],
    [
      'stop disabled, with the reason',
      { restart: { how: 'signal' as const }, stop: handStarted },
      'stop',
      'Pincer did not start this gateway and no service manages it: stop it where it was started.',
    ],
  ] as const)('%s', (_name, controls, action, reason) => {
    expect(unavailableReason(action, { ...attached, external: { pid: 9, manager: 'manual', ...controls } })).toBe(reason);
  });
});
