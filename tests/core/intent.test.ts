import { describe, expect, it } from 'vitest';
import { decideIntent, DEFAULT_RESTART_JOIN, type IntentAction, type IntentEvent, type IntentFacts } from '../../electron/core/policy/intent';

const start: IntentEvent = { intent: 'start' };
const stop: IntentEvent = { intent: 'stop' };
const restartAt = (at: number, joinRecent = true): IntentEvent => ({ intent: 'restart', kind: 'full', at, joinRecent });
const restart = restartAt(100_000);
const facts = (over: Partial<IntentFacts>): IntentFacts => ({ state: 'running', liveGeneration: true, ...over });

describe('decideIntent: (state, flow in flight, pending intent, event) → action', () => {
  it.each<[string, IntentFacts, IntentEvent, IntentAction]>([
    // start
    ['start from stopped', facts({ state: 'stopped', liveGeneration: false }), start, { action: 'start' }],
    ['start from error', facts({ state: 'error', liveGeneration: false }), start, { action: 'start' }],
    ['start while starting joins the start', facts({ state: 'starting', flow: 'start' }), start, { action: 'join', flow: 'start' }],
    ['start while a restart runs joins it', facts({ state: 'restarting', flow: 'restart' }), start, { action: 'join', flow: 'restart' }],
    ['start while running: nothing to do', facts({}), start, { action: 'join' }],
    ['start while reconnecting: nothing to do', facts({ state: 'reconnecting' }), start, { action: 'join' }],
    ['start while a live gateway recovers itself', facts({ state: 'restarting' }), start, { action: 'join' }],
    ['start during crash backoff starts now', facts({ state: 'restarting', liveGeneration: false }), start, { action: 'start' }],
    ['start during a stop: after it', facts({ state: 'stopping', flow: 'stop' }), start, { action: 'after', flow: 'stop', then: 'start' }],
    ['start during a stop, already queued', facts({ state: 'stopping', flow: 'stop', pending: 'start' }), start, { action: 'join-queued' }],
    // stop
    ['stop while running', facts({}), stop, { action: 'stop' }],
    ['stop while starting', facts({ state: 'starting', flow: 'start' }), stop, { action: 'stop' }],
    ['stop while restarting', facts({ state: 'restarting', flow: 'restart' }), stop, { action: 'stop' }],
    ['stop from error', facts({ state: 'error' }), stop, { action: 'stop' }],
    ['stop during a stop joins it', facts({ state: 'stopping', flow: 'stop' }), stop, { action: 'join', flow: 'stop' }],
    // restart
    ['restart while running', facts({}), restart, { action: 'restart', kind: 'full' }],
    ['restart while reconnecting', facts({ state: 'reconnecting' }), restart, { action: 'restart', kind: 'full' }],
    ['restart during crash backoff', facts({ state: 'restarting', liveGeneration: false }), restart, { action: 'restart', kind: 'full' }],
    ['restart from stopped is a start', facts({ state: 'stopped', liveGeneration: false }), restart, { action: 'start' }],
    ['restart from error is a start', facts({ state: 'error' }), restart, { action: 'start' }],
    ['restart in flight: join it', facts({ state: 'restarting', flow: 'restart' }), restart, { action: 'join', flow: 'restart' }],
    [
      'restart while starting: after the start',
      facts({ state: 'starting', flow: 'start' }),
      restart,
      { action: 'after', flow: 'start', then: 'restart' },
    ],
    [
      'restart while starting, one already pending: join it',
      facts({ state: 'starting', flow: 'start', pending: 'restart' }),
      restart,
      { action: 'join-queued' },
    ],
    ['restart during a stop: start after it', facts({ state: 'stopping', flow: 'stop' }), restart, { action: 'after', flow: 'stop', then: 'start' }],
  ])('%s', (_name, given, event, expected) => {
    expect(decideIntent(given, event)).toEqual(expected);
  });
});

describe('decideIntent: a restart that just completed absorbs the requests that could not have seen it', () => {
  const { burstMs, graceMs } = DEFAULT_RESTART_JOIN;
  // The restart was asked for at 10 s; its generation reached running at 10.2 s.
  const lastRestart = { requestedAt: 10_000, runningAt: 10_200 };
  it.each<[string, number, boolean, IntentAction['action']]>([
    ['a burst request right after it completed', 10_300, true, 'join'],
    ['the tail of a burst spread over the burst window', 10_000 + burstMs - 1, true, 'join'],
    ['a request after the burst window', 10_000 + burstMs, true, 'restart'],
    ['a request that arrived too late to be part of it', 20_000, true, 'restart'],
    ['the restart a settings change needs never joins a completed one', 10_300, false, 'restart'],
  ])('%s → %s', (_name, at, joinRecent, action) => {
    expect(decideIntent(facts({ lastRestart }), restartAt(at, joinRecent)).action).toBe(action);
  });

  it('a slow restart: the grace after running still covers requests sent before it finished', () => {
    const slow = { requestedAt: 0, runningAt: 9_000 }; // OpenClaw takes seconds to get ready
    expect(decideIntent(facts({ lastRestart: slow }), restartAt(9_000 + graceMs - 1)).action).toBe('join');
    expect(decideIntent(facts({ lastRestart: slow }), restartAt(9_000 + graceMs)).action).toBe('restart');
  });

  it('only a running gateway joins a completed restart (after a crash it is a real restart)', () => {
    expect(decideIntent(facts({ state: 'reconnecting', lastRestart }), restartAt(10_300)).action).toBe('restart');
    expect(decideIntent(facts({ state: 'error', lastRestart }), restartAt(10_300)).action).toBe('start');
  });
});
