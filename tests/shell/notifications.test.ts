// The notification policy, table-tested: what a status transition means, and the throttle that
// keeps a flapping gateway from flooding the desktop.
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../electron/core/i18n';
import type { GatewayState, GatewayStatus } from '../../electron/core/status';
import { noticeText } from '../../electron/notifications/text';
import {
  CRASH_EXIT_WINDOW_MS,
  DEFAULT_THROTTLE,
  noticeFor,
  SLOW_RESTART_MS,
  throttle,
  type GatewayNotice,
  type SentNotices,
  type WatchState,
} from '../../electron/notifications/policy';

type Step = Pick<GatewayStatus, 'state' | 'at' | 'lastExit' | 'error'>;
const step = (state: GatewayState, at: number, over: Partial<Step> = {}): Step => ({ state, at, ...over });
const exitAt = (at: number) => ({ code: 1, signal: null, at });

/** Runs the statuses through noticeFor and collects what it would notify. */
function notices(steps: Step[]): GatewayNotice[] {
  let watch: WatchState = {};
  const out: GatewayNotice[] = [];
  for (const status of steps) {
    const result = noticeFor(watch, status);
    watch = result.watch;
    if (result.notice) out.push(result.notice);
  }
  return out;
}

describe('noticeFor', () => {
  it.each<[string, Step[], GatewayNotice[]]>([
    ['a normal start', [step('stopped', 0), step('starting', 1), step('running', 2)], []],
    [
      'a crash, then back up',
      [
        step('running', 0),
        step('running', 100, { lastExit: exitAt(100) }),
        step('restarting', 101, { lastExit: exitAt(100) }),
        step('starting', 700, { lastExit: exitAt(100) }),
        step('running', 900, { lastExit: exitAt(100) }),
      ],
      [{ kind: 'recovered', exit: exitAt(100) }],
    ],
    [
      'a crash while starting, then back up',
      [step('starting', 0), step('restarting', 50, { lastExit: exitAt(40) }), step('running', 900, { lastExit: exitAt(40) })],
      [{ kind: 'recovered', exit: exitAt(40) }],
    ],
    [
      'a quick requested restart: nothing',
      [
        step('running', 0, { lastExit: exitAt(-60_000) }),
        step('restarting', 1_000, { lastExit: exitAt(-60_000) }),
        step('starting', 1_100),
        step('running', 1_000 + SLOW_RESTART_MS - 1),
      ],
      [],
    ],
    [
      'a slow requested restart',
      [step('running', 0), step('restarting', 1_000), step('starting', 2_000), step('running', 1_000 + SLOW_RESTART_MS)],
      [{ kind: 'restarted', tookMs: SLOW_RESTART_MS }],
    ],
    [
      'an old exit does not make a requested restart a crash',
      [
        step('running', 0, { lastExit: exitAt(0) }),
        step('restarting', CRASH_EXIT_WINDOW_MS + 1, { lastExit: exitAt(0) }),
        step('running', CRASH_EXIT_WINDOW_MS + 2),
      ],
      [],
    ],
    [
      'entering error',
      [step('starting', 0), step('error', 10, { error: { code: 'PORT_IN_USE', message: '', hint: '' } })],
      [{ kind: 'error', code: 'PORT_IN_USE' }],
    ],
    [
      'a crash loop ends in one error, no recovery',
      [
        step('running', 0),
        step('restarting', 10, { lastExit: exitAt(10) }),
        step('starting', 20),
        step('restarting', 30, { lastExit: exitAt(30) }),
        step('error', 40, { error: { code: 'CRASH_LOOP', message: '', hint: '' } }),
        step('error', 50, { error: { code: 'CRASH_LOOP', message: '', hint: '' } }),
      ],
      [{ kind: 'error', code: 'CRASH_LOOP' }],
    ],
    [
      'a stop in the middle of a restart forgets it',
      [step('running', 0), step('restarting', 10), step('stopping', 20), step('stopped', 30), step('starting', 40_000), step('running', 50_000)],
      [],
    ],
  ])('%s', (_name, steps, expected) => {
    expect(notices(steps)).toEqual(expected);
  });
});

describe('throttle', () => {
  const limits = DEFAULT_THROTTLE;
  /** Offers a key at each time and says which were allowed. */
  function run(offers: Array<[number, string]>): boolean[] {
    let sent: SentNotices = [];
    return offers.map(([at, key]) => {
      const verdict = throttle(sent, key, at, limits);
      sent = verdict.sent;
      return verdict.allowed;
    });
  }

  it.each<[string, Array<[number, string]>, boolean[]]>([
    ['the first notice', [[0, 'recovered']], [true]],
    [
      'the same notice again soon',
      [
        [0, 'recovered'],
        [limits.sameNoticeGapMs - 1, 'recovered'],
      ],
      [true, false],
    ],
    [
      'the same notice after the gap',
      [
        [0, 'recovered'],
        [limits.sameNoticeGapMs, 'recovered'],
      ],
      [true, true],
    ],
    [
      'different notices close together',
      [
        [0, 'error:PORT_IN_USE'],
        [1, 'recovered'],
        [2, 'restarted'],
      ],
      [true, true, true],
    ],
    [
      'more than the window allows',
      [
        [0, 'a'],
        [1, 'b'],
        [2, 'c'],
        [3, 'd'],
        [4, 'e'],
      ],
      [true, true, true, true, false],
    ],
    [
      'the window moves on',
      [
        [0, 'a'],
        [1, 'b'],
        [2, 'c'],
        [3, 'd'],
        [limits.windowMs, 'e'],
      ],
      [true, true, true, true, true],
    ],
  ])('%s', (_name, offers, expected) => {
    expect(run(offers)).toEqual(expected);
  });

  it('a gateway flapping every 2 s for an hour shows a handful of notifications, not hundreds', () => {
    const offers: Array<[number, string]> = [];
    for (let at = 0; at < 3_600_000; at += 2_000) offers.push([at, at % 4_000 === 0 ? 'recovered' : 'error:CRASH_LOOP']);
    const shown = run(offers).filter(Boolean).length;
    expect(shown).toBeLessThanOrEqual(Math.ceil(3_600_000 / limits.sameNoticeGapMs) * 2);
    expect(shown).toBeGreaterThan(0);
  });

  it('keeps only the history the limits can still see', () => {
    const { sent } = throttle([{ at: 0, key: 'old' }], 'new', limits.windowMs + limits.sameNoticeGapMs);
    expect(sent).toEqual([{ at: limits.windowMs + limits.sameNoticeGapMs, key: 'new' }]);
  });
});

describe('notification text', () => {
  it.each<['en' | 'zh-CN', GatewayNotice, string, RegExp]>([
    [
      'en',
      { kind: 'error', code: 'PORT_IN_USE' },
      'Pincer: the gateway is down',
      /^Port 18790 is used by another program\nStop the program holding the port/,
    ],
    ['zh-CN', { kind: 'error', code: 'PORT_IN_USE' }, 'Pincer：网关已停止工作', /^端口 18790 被其他程序占用\n请停止占用该端口的程序/],
    ['en', { kind: 'recovered', exit: { code: null, signal: 'SIGKILL', at: 0 } }, 'Pincer: the gateway is back', /killed by SIGKILL.*port 18790/],
    ['zh-CN', { kind: 'recovered', exit: { code: 3, signal: null, at: 0 } }, 'Pincer：网关已恢复', /退出码 3.*18790/],
    ['en', { kind: 'restarted', tookMs: 7_400 }, 'Pincer: restart finished', /port 18790 \(the restart took 7 s\)/],
  ])('%s %j', (language, notice, title, body) => {
    const text = noticeText(notice, { port: 18790 }, createTranslator(language));
    expect(text.title).toBe(title);
    expect(text.body).toMatch(body);
  });
});
