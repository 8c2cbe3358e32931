// The pure judgments of the chaos soak: which client failures were unavoidable, and when a crash
// loop is something our own kills could have caused.
import { describe, expect, it } from 'vitest';
import { CrashLedger } from '../../scripts/chaos/crash-ledger';
import { classifyFailures, windowsFromStates, type ClientFailure, type OutageWindow } from '../../scripts/chaos/outages';

const failure = (startedAt: number, endedAt: number, outcome: ClientFailure['outcome']): ClientFailure => ({
  startedAt,
  endedAt,
  outcome,
  probe: 'tcp',
  detail: outcome,
});

describe('windowsFromStates', () => {
  it.each([
    [
      'no stop, no window',
      [
        { at: 0, state: 'running' },
        { at: 10, state: 'restarting' },
        { at: 20, state: 'running' },
      ],
      [],
    ],
    [
      'stopping → stopped → starting → running',
      [
        { at: 0, state: 'running' },
        { at: 10, state: 'stopping' },
        { at: 12, state: 'stopped' },
        { at: 30, state: 'starting' },
        { at: 40, state: 'running' },
      ],
      [[10, 40]],
    ],
    [
      'error until the end',
      [
        { at: 5, state: 'starting' },
        { at: 9, state: 'error' },
      ],
      [[9, 100]],
    ],
    [
      'out of order marks are sorted',
      [
        { at: 40, state: 'running' },
        { at: 10, state: 'stopped' },
      ],
      [[10, 40]],
    ],
  ] as const)('%s', (_name, marks, expected) => {
    expect(windowsFromStates(marks, 100).map((w) => [w.from, w.to])).toEqual(expected);
  });
});

describe('classifyFailures', () => {
  const windows: OutageWindow[] = [
    { from: 100, to: 200, reason: 'gateway stopped', covers: 'all' },
    { from: 500, to: 600, reason: 'kill -9', covers: ['reset', 'timeout'] },
  ];

  it.each([
    ['a refusal while stopped', failure(150, 151, 'refused'), 'unavoidable'],
    ['a request spanning the start of the stop', failure(90, 120, 'reset'), 'unavoidable'],
    ['a refusal during a restart', failure(300, 301, 'refused'), 'avoidable'],
    ['a reset in flight at a kill -9', failure(490, 510, 'reset'), 'unavoidable'],
    ['a refusal after a kill -9 (the front door should hold it)', failure(520, 521, 'refused'), 'avoidable'],
    ['just outside, within the clock slack', failure(240, 245, 'refused'), 'unavoidable'],
    ['outside the slack', failure(260, 261, 'refused'), 'avoidable'],
  ] as const)('%s → %s', (_name, f, expected) => {
    const counts = classifyFailures([f], windows, 50);
    expect(counts.total).toBe(1);
    expect(expected === 'unavoidable' ? counts.unavoidable : counts.avoidable).toBe(1);
  });

  it('keeps a few avoidable samples for the report', () => {
    const counts = classifyFailures(
      Array.from({ length: 9 }, (_, i) => failure(300 + i, 301 + i, 'refused')),
      windows,
    );
    expect(counts).toMatchObject({ total: 9, unavoidable: 0, avoidable: 9 });
    expect(counts.avoidableSamples).toHaveLength(5);
  });
});

describe('CrashLedger', () => {
  it('a crash loop is possible only once our unexpected exits reach the limit inside the window (plus slack)', () => {
    const ledger = new CrashLedger({ maxExits: 3, windowMs: 1_000 }, 100);
    ledger.record(0);
    ledger.record(500);
    expect(ledger.crashLoopPossible(600)).toBe(false);
    ledger.record(900);
    expect(ledger.crashLoopPossible(900)).toBe(true);
    expect(ledger.crashLoopPossible(1_050)).toBe(true); // 0 is still within window + slack
    expect(ledger.crashLoopPossible(1_200)).toBe(false);
    ledger.forget(900);
    expect(ledger.crashLoopPossible(900)).toBe(false);
    ledger.record(950);
    ledger.reset();
    expect(ledger.crashLoopPossible(950)).toBe(false);
  });
});
