import { describe, expect, test } from 'vitest';
import { parseCmdline, parseProcStat } from '../../electron/core/process/procfs';
import { descendantsIn, parsePidPpidLines, topmostOf } from '../../electron/core/process/tree';

describe('parseProcStat', () => {
  test.each([
    [
      'a plain process',
      '4242 (node) S 4200 4242 4200 34816 4242 4194560 1234 0 0 0 11 2 0 0 20 0 7 0 357105 3133440 410',
      { pid: 4242, state: 'S', ppid: 4200, pgrp: 4242, startTime: 357105 },
    ],
    [
      'a comm with spaces and parentheses',
      '77 (evil) R (x) y) T 1 77 77 0 -1 4194304 101 0 0 0 0 0 0 0 20 0 1 0 99 3133440 410',
      { pid: 77, state: 'T', ppid: 1, pgrp: 77, startTime: 99 },
    ],
    [
      'a zombie',
      '90 (sleep) Z 89 89 89 0 -1 4227076 0 0 0 0 0 0 0 0 20 0 1 0 123456 0 0',
      { pid: 90, state: 'Z', ppid: 89, pgrp: 89, startTime: 123456 },
    ],
    ['a line cut before starttime', '4242 (node) S 4200 4242 4200 34816 4242 4194560 1234 0 0 0', undefined],
    ['garbage', 'not a stat line', undefined],
    ['truncated', '4242 (node) S', undefined],
  ])('%s', (_, text, stat) => {
    expect(parseProcStat(text)).toEqual(stat);
  });
});

describe('parseCmdline', () => {
  test.each([
    ['NUL-separated with a trailing NUL', 'node\0gateway.js\0--port\x0028789\0', ['node', 'gateway.js', '--port', '28789']],
    ['an empty argument in the middle is kept', 'node\0\0x\0', ['node', '', 'x']],
    ['a kernel thread or zombie: empty', '', []],
    ['a process that rewrote its title (no NULs)', 'openclaw-gateway', ['openclaw-gateway']],
  ])('%s', (_, raw, args) => {
    expect(parseCmdline(raw)).toEqual(args);
  });
});

describe('parsePidPpidLines', () => {
  test.each([
    [
      'ps -A -o pid=,ppid=',
      '    1     0\n  312     1\n 4242   312\n',
      [
        [1, 0],
        [312, 1],
        [4242, 312],
      ],
    ],
    [
      'PowerShell output with CRLF and a blank line',
      '0 0\r\n4 0\r\n\r\n4242 600\r\n',
      [
        [0, 0],
        [4, 0],
        [4242, 600],
      ],
    ],
    ['noise is skipped', 'PID PPID\nabc def\n5 1\n', [[5, 1]]],
  ])('%s', (_, text, pairs) => {
    expect([...parsePidPpidLines(text)]).toEqual(pairs);
  });
});

describe('descendantsIn', () => {
  const table = new Map([
    [1, 0],
    [10, 1],
    [11, 10],
    [12, 10],
    [13, 11],
    [20, 1],
  ]);
  test.each([
    ['breadth first: children before grandchildren', 10, [11, 12, 13]],
    ['a leaf has none', 13, []],
    ['an unknown pid has none', 999, []],
  ])('%s', (_, root, expected) => {
    expect(descendantsIn(table, root)).toEqual(expected);
  });

  test('a parent cycle from Windows pid reuse, and pid 0 as its own parent, end the walk', () => {
    expect(
      descendantsIn(
        new Map([
          [0, 0],
          [5, 6],
          [6, 5],
          [7, 6],
        ]),
        5,
      ),
    ).toEqual([6, 7]);
    expect(
      descendantsIn(
        new Map([
          [0, 0],
          [4, 0],
        ]),
        0,
      ),
    ).toEqual([4]);
  });
});

describe('topmostOf', () => {
  const table = new Map([
    [100, 1],
    [101, 100],
    [102, 101],
    [200, 1],
  ]);
  test.each([
    ['the parent of the holders', [102, 101, 100], 100],
    ['unrelated holders: the lowest pid', [200, 101], 101],
    ['one holder', [102], 102],
    ['none', [], undefined],
  ])('%s', (_, pids, expected) => {
    expect(topmostOf(pids, table)).toBe(expected);
  });
});
