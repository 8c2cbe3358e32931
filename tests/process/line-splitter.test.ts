import { describe, expect, test } from 'vitest';
import { createLineSplitter, MAX_LINE_LENGTH } from '../../electron/core/process/line-splitter';

function split(chunks: Array<string | Buffer>, maxLineLength?: number): string[] {
  const lines: string[] = [];
  const splitter = createLineSplitter((line) => lines.push(line), maxLineLength);
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}

const euro = Buffer.from('€uro\n');

describe('createLineSplitter', () => {
  test.each<[string, Array<string | Buffer>, number | undefined, string[]]>([
    ['whole lines', ['a\nb\n'], undefined, ['a', 'b']],
    ['a line split across chunks; the unterminated last line comes at the end', ['a', 'b\n', 'c'], undefined, ['ab', 'c']],
    ['CRLF, also with \\r and \\n in different chunks', ['x\r\n', 'y\r', '\nz'], undefined, ['x', 'y', 'z']],
    ['empty lines are lines', ['\n\n'], undefined, ['', '']],
    ['a lone \\r inside a line stays', ['a\rb\n'], undefined, ['a\rb']],
    ['UTF-8 split inside a character', [euro.subarray(0, 1), euro.subarray(1, 2), euro.subarray(2)], undefined, ['€uro']],
    ['an over-long line is emitted in pieces', ['abcdefghij\n'], 4, ['abcd', 'efgh', 'ij']],
    ['an over-long line without a newline yet does not wait for one', ['abc', 'def', 'ghi'], 4, ['abcd', 'efgh', 'i']],
    ['a line of exactly two pieces leaves no empty piece', ['abcdefgh\n'], 4, ['abcd', 'efgh']],
    ['a cut never splits a surrogate pair', ['abc😀d\n'], 4, ['abc', '😀d']],
    ['nothing in, nothing out', [], undefined, []],
  ])('%s', (_, chunks, max, lines) => {
    expect(split(chunks, max)).toEqual(lines);
  });

  test('the default cap is 16 KiB, and memory holds at most one cap of pending text', () => {
    const lines: string[] = [];
    const splitter = createLineSplitter((line) => lines.push(line));
    const chunk = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 64; i += 1) splitter.push(chunk); // 4 MiB, no newline
    // 256 pieces: all but the last are out; the last (≤ one cap) waits to see whether the line ends.
    expect(lines.length).toBe(255);
    splitter.end();
    expect(lines.length).toBe((64 * 64 * 1024) / MAX_LINE_LENGTH);
    expect(lines.every((line) => line.length === MAX_LINE_LENGTH)).toBe(true);
  });

  test('a nonsense cap is a clear error', () => {
    expect(() => createLineSplitter(() => {}, 0)).toThrow(/maxLineLength/);
    expect(() => createLineSplitter(() => {}, 2.5)).toThrow(/maxLineLength/);
  });
});
