// File logging for both front ends (electron-log's main and node loggers share this shape):
// main.log in the data dir, rotated by size, every message redacted before any transport.
import path from 'node:path';
import type { NodeLogger } from 'electron-log';
import type { Redactor } from './redact';

export const LOG_FILE = 'main.log';
const MAX_LOG_BYTES = 1024 * 1024;

export function setUpLogging(log: NodeLogger, logsDir: string, redact: Redactor): void {
  log.transports.file.resolvePathFn = () => path.join(logsDir, LOG_FILE);
  log.transports.file.maxSize = MAX_LOG_BYTES;
  log.transports.file.level = 'verbose';
  log.transports.console.level = 'info';
  log.hooks.push((message) => ({
    ...message,
    data: message.data.map((item: unknown) =>
      typeof item === 'string' ? redact(item) : item instanceof Error ? redact(item.stack ?? item.message) : item,
    ),
  }));
}
