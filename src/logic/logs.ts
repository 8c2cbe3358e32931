// Log tail bookkeeping: a bounded buffer and a minimum-level filter. Pure.
import type { LogLine } from '../../electron/core/api';
import { t } from '../i18n';

export const LOG_LIMIT = 1000;

export type LogLevel = LogLine['level'];
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Labels are getters: they read the current language when rendered. */
export const LEVEL_FILTER_LABELS = Object.defineProperties(
  {},
  Object.fromEntries(LOG_LEVELS.map((level) => [level, { get: () => t(`logs.level.${level}`), enumerable: true }])),
) as Readonly<Record<LogLevel, string>>;

export function passesLevel(line: Pick<LogLine, 'level'>, minimum: LogLevel): boolean {
  return LOG_LEVELS.indexOf(line.level) >= LOG_LEVELS.indexOf(minimum);
}

/** Appends in place and drops the oldest items beyond `limit`. */
export function appendBounded<T>(buffer: T[], items: readonly T[], limit: number): void {
  for (const item of items) buffer.push(item);
  const excess = buffer.length - limit;
  if (excess > 0) buffer.splice(0, excess);
}

/** Lines newer than `after` (used to fill a gap after the live stream reconnects). */
export function linesAfter(lines: readonly LogLine[], after: number): LogLine[] {
  return lines.filter((line) => line.at > after);
}
