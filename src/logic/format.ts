// Human-readable times for the dashboard. Pure: every function takes "now" from its caller.
import type { ExitInfo } from '../../electron/core/status';
import { t as translate } from '../i18n';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Uptime-style duration: "840 ms", "12 s", "4m 05s", "2h 14m 05s", "3d 4h 12m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const t = Math.max(0, Math.floor(ms));
  if (t < SECOND) return `${t} ms`;
  const s = Math.floor(t / SECOND) % 60;
  const m = Math.floor(t / MINUTE) % 60;
  const h = Math.floor(t / HOUR) % 24;
  const d = Math.floor(t / DAY);
  if (t < MINUTE) return `${s} s`;
  if (t < HOUR) return `${m}m ${pad2(s)}s`;
  if (t < DAY) return `${h}h ${pad2(m)}m ${pad2(s)}s`;
  return `${d}d ${h}h ${pad2(m)}m`;
}

/** Short elapsed times for start phases, precise where it matters: "340 ms", "2.4 s", "12 s". */
export function formatElapsed(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const t = Math.max(0, Math.round(ms));
  if (t < SECOND) return `${t} ms`;
  if (t < 10 * SECOND) return `${(Math.floor(t / 100) / 10).toFixed(1)} s`;
  if (t < MINUTE) return `${Math.floor(t / SECOND)} s`;
  return formatDuration(t);
}

/** Local wall-clock time "HH:MM:SS". */
export function formatClock(at: number): string {
  const d = new Date(at);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** Local wall-clock time with milliseconds, for log lines. */
export function formatClockMs(at: number): string {
  return `${formatClock(at)}.${String(new Date(at).getMilliseconds()).padStart(3, '0')}`;
}

/** "just now", "12 s ago", "4 min ago", "2 h ago", "3 d ago". */
export function formatAgo(at: number, now: number): string {
  const t = Math.max(0, now - at);
  if (t < 5 * SECOND) return translate('ago.justNow');
  if (t < MINUTE) return translate('ago.seconds', { n: Math.floor(t / SECOND) });
  if (t < HOUR) return translate('ago.minutes', { n: Math.floor(t / MINUTE) });
  if (t < DAY) return translate('ago.hours', { n: Math.floor(t / HOUR) });
  return translate('ago.days', { n: Math.floor(t / DAY) });
}

/** How a process ended: "exit code 1", "killed by SIGKILL", "exit code 0". */
export function formatExit(exit: Pick<ExitInfo, 'code' | 'signal'>): string {
  if (exit.signal) return translate('exit.signal', { signal: exit.signal });
  if (exit.code !== null) return translate('exit.code', { code: exit.code });
  return translate('exit.unknown');
}
