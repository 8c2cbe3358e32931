import { describe, expect, it } from 'vitest';
import { canTransition, InvalidTransitionError, Lifecycle } from '../../electron/core/lifecycle';
import { GATEWAY_STATES, type GatewayState } from '../../electron/core/status';

describe('lifecycle transitions', () => {
  it.each<[GatewayState, GatewayState, boolean]>([
    ['stopped', 'starting', true],
    ['stopped', 'running', false],
    ['starting', 'running', true],
    ['starting', 'stopping', true],
    ['running', 'starting', false],
    ['running', 'restarting', true],
    ['running', 'reconnecting', true],
    ['reconnecting', 'running', true],
    ['restarting', 'starting', true],
    ['restarting', 'running', true],
    ['restarting', 'reconnecting', false],
    ['stopping', 'stopped', true],
    ['stopping', 'starting', false],
    ['stopping', 'running', false],
    ['error', 'starting', true],
    ['error', 'running', false],
    // Moves the supervisor never makes are not in the table.
    ['stopped', 'stopping', false],
    ['stopped', 'error', false],
    ['error', 'stopped', false],
    ['error', 'error', false],
    ['stopping', 'error', false],
    ['restarting', 'restarting', false],
  ])('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  it('every state can be stopped or reach stopped', () => {
    for (const state of GATEWAY_STATES) {
      expect(canTransition(state, 'stopping') || canTransition(state, 'stopped') || state === 'stopped').toBe(true);
    }
  });

  it('refuses an impossible move and keeps its state', () => {
    const lifecycle = new Lifecycle();
    expect(() => lifecycle.transition({ state: 'running' })).toThrow(InvalidTransitionError);
    expect(lifecycle.value.state).toBe('stopped');
  });

  it('epochs make older flows stale', () => {
    const lifecycle = new Lifecycle();
    const first = lifecycle.newEpoch();
    const second = lifecycle.newEpoch();
    expect(lifecycle.isCurrent(first)).toBe(false);
    expect(lifecycle.isCurrent(second)).toBe(true);
  });

  it('tells listeners the new and the previous state', () => {
    const lifecycle = new Lifecycle();
    const seen: string[] = [];
    const off = lifecycle.onChange((next, previous) => seen.push(`${previous.state}>${next.state}`));
    lifecycle.transition({ state: 'starting', phase: 'probing-port' });
    off();
    lifecycle.transition({ state: 'starting', phase: 'spawning' });
    expect(seen).toEqual(['stopped>starting']);
  });
});
