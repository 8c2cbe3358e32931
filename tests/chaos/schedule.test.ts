// The chaos soak's randomness is reproducible: the PRNG, the schedule it draws and the options
// that shape it are pure, and the same seed always names the same faults.
import { describe, expect, it } from 'vitest';
import { parseChaosArgs, UsageError } from '../../scripts/chaos/options';
import { mulberry32, pickWeighted, randomInt } from '../../scripts/chaos/prng';
import { buildSchedule, DEFAULT_WEIGHTS, FAULT_KINDS, parseWeights, REFERENCE_ONLY_KINDS, type Fault } from '../../scripts/chaos/schedule';

describe('mulberry32', () => {
  it.each([
    [0, [0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]],
    [1, [0.6270739405881613, 0.002735721180215478, 0.5274470399599522]],
    [42, [0.6011037519201636, 0.44829055899754167, 0.8524657934904099]],
    [4294967295, [0.8964226141106337, 0.189478256739676, 0.7156526781618595]],
  ])('seed %i → the same first values on every run', (seed, expected) => {
    const random = mulberry32(seed);
    expect([random(), random(), random()]).toEqual(expected);
  });

  it('stays in [0, 1) and spreads over it', () => {
    const random = mulberry32(7);
    const values = Array.from({ length: 10_000 }, random);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const buckets = [0, 0, 0, 0];
    for (const v of values) buckets[Math.floor(v * 4)]! += 1;
    for (const count of buckets) expect(count).toBeGreaterThan(2_200);
  });

  it('randomInt is inclusive and refuses a bad range; pickWeighted follows the weights', () => {
    const random = mulberry32(3);
    const seen = new Set(Array.from({ length: 500 }, () => randomInt(random, 2, 4)));
    expect([...seen].sort()).toEqual([2, 3, 4]);
    expect(() => randomInt(random, 5, 4)).toThrow(RangeError);
    const picks = Array.from({ length: 2_000 }, () => pickWeighted(random, { a: 3, b: 1, c: 0 }));
    expect(picks).not.toContain('c');
    expect(picks.filter((p) => p === 'a').length / picks.length).toBeGreaterThan(0.68);
    expect(() => pickWeighted(random, { a: 0 })).toThrow(RangeError);
  });
});

describe('buildSchedule', () => {
  it('seed 1 (the CI soak) always starts with the same faults and parameters', () => {
    expect(buildSchedule({ seed: 1, faults: 6, weights: DEFAULT_WEIGHTS })).toEqual([
      { kind: 'time-wait', timeWait: 1, finWait2: 3 },
      { kind: 'settings-mid-restart', delayMs: 146, marker: 281104 },
      { kind: 'time-wait', timeWait: 3, finWait2: 2 },
      { kind: 'settings-mid-restart', delayMs: 68, marker: 488789 },
      { kind: 'kill9' },
      { kind: 'sigstop', stopMs: 787 },
    ]);
  });

  it.each([1, 2, 99, 123456])('seed %i: the same schedule twice, a prefix of the longer one', (seed) => {
    const long = buildSchedule({ seed, faults: 200, weights: DEFAULT_WEIGHTS });
    expect(buildSchedule({ seed, faults: 200, weights: DEFAULT_WEIGHTS })).toEqual(long);
    expect(buildSchedule({ seed, faults: 50, weights: DEFAULT_WEIGHTS })).toEqual(long.slice(0, 50));
  });

  it('different seeds give different schedules', () => {
    const kinds = (seed: number) => buildSchedule({ seed, faults: 30, weights: DEFAULT_WEIGHTS }).map((f) => f.kind);
    expect(kinds(1)).not.toEqual(kinds(2));
  });

  it('draws every kind with default weights, and none with weight 0; parameters stay in range', () => {
    const schedule = buildSchedule({ seed: 5, faults: 1_000, weights: DEFAULT_WEIGHTS });
    expect(new Set(schedule.map((f) => f.kind))).toEqual(new Set(FAULT_KINDS));
    const noKills = buildSchedule({ seed: 5, faults: 1_000, weights: { ...DEFAULT_WEIGHTS, kill9: 0, 'twin-kill9': 0 } });
    expect(noKills.some((f) => f.kind === 'kill9' || f.kind === 'twin-kill9')).toBe(false);
    const inRange = (fault: Fault): boolean => {
      switch (fault.kind) {
        case 'sigstop':
          return fault.stopMs >= 200 && fault.stopMs <= 4_000;
        case 'slow-start':
          return fault.delayMs >= 300 && fault.delayMs <= 2_500;
        case 'interleave':
          return fault.steps.length >= 3 && fault.steps.length <= 8 && fault.steps.every((s) => s.gapMs >= 0 && s.gapMs <= 150);
        case 'restart-storm':
          return fault.requests === 50 && fault.clients >= 2 && fault.clients <= 6;
        case 'kill9':
        case 'twin-kill9':
          return fault.midRestartMs === undefined || (fault.midRestartMs >= 0 && fault.midRestartMs <= 300);
        default:
          return true;
      }
    };
    expect(schedule.filter((f) => !inRange(f))).toEqual([]);
  });
});

describe('options', () => {
  it('defaults to 60 faults, seed 1, the reference gateway, the default weights', () => {
    expect(parseChaosArgs([])).toEqual({
      help: false,
      faults: 60,
      seed: 1,
      gateway: 'reference',
      openclawDir: undefined,
      weights: DEFAULT_WEIGHTS,
      jsonOnly: false,
    });
    expect(parseChaosArgs(['--faults', '8', '--seed', '3', '--json-only', '--weights', 'kill9=5,malformed=0'])).toMatchObject({
      faults: 8,
      seed: 3,
      jsonOnly: true,
      weights: { ...DEFAULT_WEIGHTS, kill9: 5, malformed: 0 },
    });
  });

  it('OpenClaw has no fault variables: those kinds get weight 0', () => {
    const { weights } = parseChaosArgs(['--gateway', 'openclaw']);
    for (const kind of REFERENCE_ONLY_KINDS) expect(weights[kind]).toBe(0);
    expect(weights.kill9).toBe(DEFAULT_WEIGHTS.kill9);
  });

  it.each([
    [['--faults', '-1'], /--faults/],
    [['--faults', 'many'], /--faults/],
    [['--seed', '1.5'], /--seed/],
    [['--gateway', 'nginx'], /--gateway/],
    [['--openclaw', '/x'], /needs --gateway openclaw/],
    [['--weights', 'kill9'], /kind=number/],
    [['--weights', 'meteor=3'], /unknown fault kind/],
    [
      [
        '--gateway',
        'openclaw',
        '--weights',
        FAULT_KINDS.filter((k) => !REFERENCE_ONLY_KINDS.includes(k))
          .map((k) => `${k}=0`)
          .join(','),
      ],
      /no fault kind left/,
    ],
    [['--bogus'], /bogus/],
  ])('%j → a usage error', (argv, message) => {
    expect(() => parseChaosArgs(argv)).toThrow(UsageError);
    expect(() => parseChaosArgs(argv)).toThrow(message);
  });

  it('parseWeights refuses all-zero weights', () => {
    expect(() => parseWeights(FAULT_KINDS.map((k) => `${k}=0`).join(','))).toThrow(/every weight is 0/);
  });
});
