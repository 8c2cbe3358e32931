import { describe, expect, it } from 'vitest';
import { status as fixture } from '../dashboard/fixtures';
import { hasSettled } from '../../electron/cli/format';
import { launchCommand } from '../../electron/core/instance-commands';
import type { GatewayStatus } from '../../electron/core/status';

const status = (overrides: Partial<GatewayStatus>): GatewayStatus => fixture({ port: 1, at: 0, ...overrides });

describe('launchCommand (a second launch of the desktop app)', () => {
  it.each<[string[], ReturnType<typeof launchCommand>]>([
    [['Pincer.exe'], undefined],
    [['Pincer.exe', '--quit'], 'quit'],
    // Electron and Windows add switches of their own around the user's.
    [['Pincer.exe', '--allow-file-access-from-files', '--original-process-start-time=1', '--stop'], 'stop'],
    [['electron', '.', '--open'], 'open'],
    [['Pincer.exe', 'quit'], undefined], // a bare word is not a command
    [['Pincer.exe', '--status'], undefined], // a second launch has no console to print to
  ])('%j → %s', (argv, command) => {
    expect(launchCommand(argv)).toBe(command);
  });
});

describe('hasSettled (when the CLI stops waiting)', () => {
  const running = status({ state: 'running', pid: 10, startedAt: 100 });
  it.each<[string, 'start' | 'stop' | 'restart', GatewayStatus, GatewayStatus, boolean]>([
    ['stop: still stopping', 'stop', running, status({ state: 'stopping', pid: 10 }), false],
    ['stop: stopped', 'stop', running, status({ state: 'stopped' }), true],
    ['start: starting', 'start', status({ state: 'stopped' }), status({ state: 'starting' }), false],
    ['start: running', 'start', status({ state: 'stopped' }), running, true],
    ['start: ended in error', 'start', status({ state: 'stopped' }), status({ state: 'error' }), true],
    ['restart: the old generation still runs', 'restart', running, running, false],
    ['restart: restarting', 'restart', running, status({ state: 'restarting', pid: 10, startedAt: 100 }), false],
    ['restart: a new generation runs', 'restart', running, status({ state: 'running', pid: 11, startedAt: 200 }), true],
    ['restart from stopped: running', 'restart', status({ state: 'stopped' }), running, true],
    [
      'restart in-process: same pid, recorded as done',
      'restart',
      running,
      status({ state: 'running', pid: 10, startedAt: 100, lastRestart: { kind: 'in-process', at: 300 } }),
      true,
    ],
    [
      'restart in-process: the previous record only',
      'restart',
      { ...running, lastRestart: { kind: 'full', at: 50 } },
      { ...running, lastRestart: { kind: 'full', at: 50 } },
      false,
    ],
  ])('%s', (_, command, before, now, settled) => {
    expect(hasSettled(command, before, now)).toBe(settled);
  });
});
