// Splits a child's output stream into lines without letting a flood grow memory.
import { StringDecoder } from 'node:string_decoder';

/**
 * The longest line emitted (UTF-16 code units). A longer line is emitted in pieces of this size,
 * as Docker's log drivers do with 16 KiB, so one endless line cannot grow memory.
 */
export const MAX_LINE_LENGTH = 16 * 1024;

export interface LineSplitter {
  /** Feeds a chunk; emits every line it completes. */
  push(chunk: Buffer | string): void;
  /** Emits the last, unterminated line (if any). Call once, at the end of the stream. */
  end(): void;
}

/** Lines end at \n or \r\n (the ending is not part of the line); UTF-8 split across chunks is kept whole. */
export function createLineSplitter(onLine: (line: string) => void, maxLineLength = MAX_LINE_LENGTH): LineSplitter {
  if (!Number.isInteger(maxLineLength) || maxLineLength < 2) throw new RangeError(`maxLineLength must be an integer ≥ 2, got ${maxLineLength}`);
  const decoder = new StringDecoder('utf8');
  let pending = '';

  const withoutCr = (line: string): string => (line.endsWith('\r') ? line.slice(0, -1) : line);

  /** Emits whole pieces of an over-long line, keeping the rest; never cuts a surrogate pair. */
  const emitPieces = (text: string): string => {
    let rest = text;
    while (rest.length > maxLineLength) {
      const high = rest.charCodeAt(maxLineLength - 1);
      const cut = high >= 0xd800 && high <= 0xdbff ? maxLineLength - 1 : maxLineLength;
      onLine(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    return rest;
  };

  const take = (text: string): void => {
    let start = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
      const line = pending + text.slice(start, newline);
      pending = '';
      start = newline + 1;
      onLine(emitPieces(withoutCr(line)));
    }
    pending = emitPieces(pending + text.slice(start));
  };

  return {
    push(chunk) {
      take(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    },
    end() {
      take(decoder.end());
      if (pending !== '') onLine(withoutCr(pending));
      pending = '';
    },
  };
}
