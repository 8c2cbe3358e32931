// What the pincer CLI prints, and when a command it sent has taken effect. Pure.
import { formatClockMs, formatDuration } from '../../src/logic/format';
import type { LogLine } from '../core/api';
import type { InstanceRecord } from '../core/instance-lock';
import type { GatewayStatus } from '../core/status';

/** True once the status shows the outcome of `command`, judged against the status before it. */
export function hasSettled(command: 'start' | 'stop' | 'restart', before: GatewayStatus, now: GatewayStatus): boolean {
  if (now.state === 'error') return true;
  if (command === 'stop') return now.state === 'stopped';
  if (command === 'start') return now.state === 'running';
  // A restart is done when a new generation runs (blue/green keeps the state 'running' throughout),
  // or when an in-process one (same pid) is recorded as done.
  const restartRecorded = now.lastRestart !== undefined && now.lastRestart.at !== before.lastRestart?.at;
  return now.state === 'running' && (now.startedAt !== before.startedAt || now.pid !== before.pid || restartRecorded);
}

export function describeInstance(instance: InstanceRecord, dataDir: string): string {
  return `Pincer ${instance.version} (${instance.kind}, pid ${instance.pid}) on ${dataDir}${instance.api ? ` — API ${instance.api.url}` : ''}`;
}

export function describeStatus(status: GatewayStatus): string {
  const facts = [
    status.pid !== undefined ? `pid ${status.pid}` : undefined,
    `port ${status.port}`,
    status.uptimeMs !== undefined ? `up ${formatDuration(status.uptimeMs)}` : undefined,
    `${status.gateway.kind}${status.gateway.version ? ` ${status.gateway.version}` : ''}`,
    status.attached ? 'attached' : undefined,
  ].filter(Boolean);
  const lines = [`gateway: ${status.state}${status.phase ? ` (${status.phase})` : ''} — ${facts.join(', ')}`];
  if (status.error) lines.push(`error: ${status.error.code}: ${status.error.message}`, `  ${status.error.hint}`);
  for (const warning of status.warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n');
}

export function formatLogLine(line: LogLine): string {
  return `${formatClockMs(line.at)} [${line.source} ${line.level}] ${line.text}`;
}
