import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../src/i18n';
import { controlStates, type ControlAction } from '../../src/logic/controls';
import type { GatewayState } from '../../electron/core/status';
import { status } from './fixtures';

type Row = [GatewayState, { pid?: number; attached?: boolean }, string];

// Enabled buttons per state, written as "start stop restart" flags (S = start, T = stop, R = restart).
const TABLE: Row[] = [
  ['stopped', {}, 'S'],
  ['starting', {}, 'T'],
  ['starting', { pid: 42 }, 'T'],
  ['running', { pid: 42 }, 'TR'],
  ['running', { pid: 42, attached: true }, 'T'],
  ['restarting', { pid: 42 }, 'T'],
  ['reconnecting', { pid: 42 }, 'TR'],
  ['stopping', { pid: 42 }, ''],
  ['error', {}, 'S'],
  ['error', { pid: 42 }, 'STR'],
];

const FLAG: Record<ControlAction, string> = { start: 'S', stop: 'T', restart: 'R' };

describe('controlStates', () => {
  it.each(TABLE)('%s %j → enabled: "%s"', (state, extra, expected) => {
    const controls = controlStates(status({ state, ...extra }), null);
    const enabled = (['start', 'stop', 'restart'] as const)
      .filter((a) => controls[a].enabled)
      .map((a) => FLAG[a])
      .join('');
    expect(enabled).toBe(expected);
    for (const action of ['start', 'stop', 'restart'] as const) {
      // A disabled button always says why; an enabled one has nothing to explain.
      expect(controls[action].reason === '').toBe(controls[action].enabled);
    }
  });

  it('disables everything until the first status arrives', () => {
    const controls = controlStates(undefined, null);
    expect(Object.values(controls).every((c) => !c.enabled && c.reason.length > 0)).toBe(true);
  });

  it('while an action is pending, every button is disabled and the pending one says what it is doing', () => {
    const controls = controlStates(status({ state: 'running', pid: 42 }), 'restart');
    expect(controls.restart).toEqual({ enabled: false, label: 'Restarting…', reason: '' });
    expect(controls.stop.enabled).toBe(false);
    expect(controls.stop.label).toBe('Stop');
    expect(controls.stop.reason).toMatch(/in progress/);
    expect(controls.start.enabled).toBe(false);
  });

  it('explains why restart is refused for an attached gateway', () => {
    expect(controlStates(status({ state: 'running', pid: 7, attached: true }), null).restart.reason).toMatch(/did not start/);
  });
});

describe('in Simplified Chinese', () => {
  afterEach(() => setLanguage('en'));

  it('says why a button is off, an attached gateway’s refusal included', () => {
    setLanguage('zh-CN');
    const stopped = controlStates(status({ state: 'stopped' }), null);
    expect(stopped.stop.reason).toBe('网关已经停止。');
    expect(stopped.restart.reason).toBe('没有可重启的网关：请使用“启动”。');
    expect(controlStates(status({ state: 'starting' }), null).start.reason).toBe('网关启动中。');
    const external = {
      pid: 7,
      manager: 'launchd' as const,
      restart: { disabled: 'English', why: 'service' as const },
      stop: { disabled: 'English', why: 'service' as const },
    };
    const attached = controlStates(status({ state: 'running', pid: 7, attached: true, external }), null);
    expect(attached.restart.reason).toBe('它是 OpenClaw 的 launchd 服务：请用 `openclaw gateway restart` 重启它。');
    expect(attached.stop.reason).toBe('它是 OpenClaw 的 launchd 服务：请用 `openclaw gateway stop` 停止它。');
  });
});
