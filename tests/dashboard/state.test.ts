import { describe, expect, it } from 'vitest';
import { GATEWAY_STATES } from '../../electron/core/status';
import { headline, STATE_LOOK } from '../../src/logic/state';
import { status } from './fixtures';

const now = 10_000_000;

describe('headline', () => {
  it.each([
    [{ state: 'running' as const }, 'Gateway is up on port 28789.'],
    [{ state: 'running' as const, attached: true }, 'Gateway is up on port 28789 (one that was already running; Pincer is watching it).'],
    [{ state: 'starting' as const, phase: 'waiting-ready' as const }, 'Starting the gateway on port 28789: waiting for ready…'],
    [{ state: 'starting' as const }, 'Starting the gateway on port 28789…'],
    [{ state: 'restarting' as const }, 'Restarting the gateway on port 28789…'],
    [{ state: 'reconnecting' as const, reconnectAttempts: 3 }, 'Lost the connection to the gateway; reconnecting (attempt 3)…'],
    [{ state: 'reconnecting' as const }, 'Lost the connection to the gateway; reconnecting…'],
    [{ state: 'stopping' as const }, 'Stopping the gateway…'],
    [{ state: 'stopped' as const }, 'The gateway is not running.'],
    [
      { state: 'stopped' as const, lastExit: { code: 0, signal: null, at: now - 120_000 } },
      'The gateway is not running. It last stopped 2 min ago (exit code 0).',
    ],
    [{ state: 'error' as const, error: { code: 'CRASH_LOOP' as const, message: 'm', hint: 'h' } }, 'The gateway is down on port 28789.'],
  ])('%j → %s', (partial, text) => {
    expect(headline(status(partial), now)).toBe(text);
  });
});

it('every state has a label and a tone, and only running looks ok and only error looks bad', () => {
  for (const state of GATEWAY_STATES) {
    expect(STATE_LOOK[state].label.length).toBeGreaterThan(0);
    expect(STATE_LOOK[state].tone === 'ok').toBe(state === 'running');
    expect(STATE_LOOK[state].tone === 'bad').toBe(state === 'error');
  }
});
