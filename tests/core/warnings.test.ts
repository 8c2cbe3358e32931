import { describe, expect, test } from 'vitest';
import { WarningBoard, type WarningSource } from '../../electron/core/warnings';

describe('WarningBoard', () => {
  test('sets, replaces and clears a source, reporting each real change once', () => {
    const reported: string[][] = [];
    const board = new WarningBoard((warnings) => reported.push(warnings));
    board.set('sockets', 'three sockets in CLOSE_WAIT');
    board.set('sockets', 'three sockets in CLOSE_WAIT');
    board.set('sockets', 'five sockets in CLOSE_WAIT');
    board.set('sockets', undefined);
    board.set('sockets', undefined);
    expect(reported).toEqual([['three sockets in CLOSE_WAIT'], ['five sockets in CLOSE_WAIT'], []]);
    expect(board.list()).toEqual([]);
  });

  test('keeps every source, in the order they first spoke', () => {
    const board = new WarningBoard(() => {});
    // A second source, as issue 12's gateway-configuration notices will add one.
    const other = 'other' as WarningSource;
    board.set(other, 'B');
    board.set('sockets', 'A');
    board.set(other, 'B2');
    expect(board.list()).toEqual(['B2', 'A']);
  });
});
