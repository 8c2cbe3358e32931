// Which restart a "Restart gateway" gets. OpenClaw restarts itself in-process on SIGUSR2 (same pid,
// new bootId, its port down ~0.3–2.5 s instead of a whole start): used when the gateway is healthy
// and would be started exactly as it runs now. Anything else is a full process restart. Pure.
import type { LaunchSpec } from '../launcher/types';

export interface RestartFacts {
  /** The caller asked for a full restart. */
  full: boolean;
  /** The program restarts itself in-process on SIGUSR2 (OpenClaw). */
  inProcess: boolean;
  platform: NodeJS.Platform;
  /** Running with a live control connection. */
  healthy: boolean;
  /** Pincer's own process (not attached); attached gateways have their own rules. */
  owned: boolean;
  /** What it was launched with, and what it would be launched with now (same port). */
  launched?: LaunchSpec;
  next?: LaunchSpec;
}

export type RestartKind = { kind: 'in-process' } | { kind: 'full'; reason: string };

/** Same program, runtime, arguments and environment: nothing an in-process restart would miss. */
export function sameLaunch(a: LaunchSpec, b: LaunchSpec): boolean {
  if (a.file !== b.file || a.execPath !== b.execPath || a.cwd !== b.cwd || a.args.join('\0') !== b.args.join('\0')) return false;
  const names = new Set([...Object.keys(a.env), ...Object.keys(b.env)]);
  for (const name of names) if (a.env[name] !== b.env[name]) return false;
  return true;
}

export function chooseRestart(facts: RestartFacts): RestartKind {
  if (facts.full) return { kind: 'full', reason: 'a full restart was asked for' };
  if (!facts.inProcess) return { kind: 'full', reason: 'this gateway has no in-process restart' };
  if (!facts.owned) return { kind: 'full', reason: 'Pincer did not start this gateway' };
  if (facts.platform === 'win32') return { kind: 'full', reason: 'OpenClaw restarts in-process only by signal, which Windows does not have' };
  if (!facts.healthy) return { kind: 'full', reason: 'the gateway is not healthy' };
  if (!facts.launched || !facts.next) return { kind: 'full', reason: 'the gateway program could not be resolved' };
  if (!sameLaunch(facts.launched, facts.next)) return { kind: 'full', reason: 'its program, arguments or environment changed' };
  return { kind: 'in-process' };
}
