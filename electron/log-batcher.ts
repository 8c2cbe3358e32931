// Collects log lines for the renderer and hands them over in batches: one IPC message per
// interval instead of one per line, and a bounded buffer, so a gateway flooding its output cannot
// flood IPC or grow memory. No Electron here; ipc.ts sends the batches.
import type { LogLine } from './core/api';
import type { LogBatch } from './ipc-channels';

export const LOG_BATCH_MS = 100;
/** Lines kept between two flushes; older ones are dropped (and counted). */
export const LOG_BATCH_MAX_LINES = 500;

export interface LogBatcher {
  push(line: LogLine): void;
  /** Drops what is pending and stops the timer. */
  close(): void;
}

export function createLogBatcher(send: (batch: LogBatch) => void, intervalMs = LOG_BATCH_MS, maxLines = LOG_BATCH_MAX_LINES): LogBatcher {
  let lines: LogLine[] = [];
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    timer = undefined;
    const batch = { lines, dropped };
    lines = [];
    dropped = 0;
    send(batch);
  };

  return {
    push(line) {
      lines.push(line);
      if (lines.length > maxLines) {
        lines.shift();
        dropped += 1;
      }
      timer ??= setTimeout(flush, intervalMs);
    },
    close() {
      clearTimeout(timer);
      timer = undefined;
      lines = [];
    },
  };
}
