// A gateway Pincer found running and attached to: who runs it, and what Restart / Stop may do to
// it. Pincer never kills a gateway it did not start; it uses the gateway's own means or refuses
// with the reason. The policy is pure; the facts come from /proc (Linux) or the process env.
import fs from 'node:fs';
import { createTranslator, type ExternalRefusalKey } from '../i18n';
import type { ExternalGateway, ExternalRefusal, ExternalRefusalCode } from '../status';

export interface ExternalFacts {
  /** /proc/<pid>/cgroup text (Linux). */
  cgroup?: string;
  /** The process's environment, when readable (same user). */
  environ?: Readonly<Record<string, string>>;
}

const SYSTEMD_UNIT = /\/([^/\s]+\.service)\s*$/m;

/** Pure: who manages the process, from its cgroup and environment. */
export function managerOf(facts: ExternalFacts): Pick<ExternalGateway, 'manager' | 'unit'> {
  const env = facts.environ ?? {};
  const unit = env.OPENCLAW_SYSTEMD_UNIT || (facts.cgroup ? SYSTEMD_UNIT.exec(facts.cgroup)?.[1] : undefined);
  // A user session's processes sit in some .service or .scope too; only a unit that is a service
  // started by systemd itself (INVOCATION_ID) counts, or an OpenClaw unit by name.
  if (unit && (env.INVOCATION_ID || /openclaw/i.test(unit))) return { manager: 'systemd', unit };
  const launchd = env.XPC_SERVICE_NAME;
  if (launchd && launchd !== '0' && /openclaw/i.test(launchd)) return { manager: 'launchd', unit: launchd };
  if (env.OPENCLAW_WINDOWS_TASK_NAME) return { manager: 'schtasks', unit: env.OPENCLAW_WINDOWS_TASK_NAME };
  if (facts.environ) return { manager: 'manual' };
  return { manager: 'unknown' };
}

export interface ExternalPolicyInput {
  manager: ExternalGateway['manager'];
  pid?: number;
  platform: NodeJS.Platform;
  /** The gateway restarts itself in-process on SIGUSR2 (OpenClaw), so a signal can restart it. */
  signalRestart: boolean;
  /** An `openclaw` CLI Pincer can run (the user's install), for service-aware restarts. */
  cli: boolean;
}

/** Pure: what Restart and Stop do on an attached gateway, or why they are disabled. */
export function externalControls(input: ExternalPolicyInput): Pick<ExternalGateway, 'restart' | 'stop'> {
  const { manager } = input;
  if (manager === 'systemd' || manager === 'launchd' || manager === 'schtasks') {
    const restart = input.cli ? { how: 'service' as const } : refusal('external.restart.service', 'service', manager);
    const stop = input.cli ? { how: 'service' as const } : refusal('external.stop.service', 'service', manager);
    return { restart, stop };
  }
  const stop = refusal('external.stop.hand-started', 'hand-started', manager);
  if (!input.signalRestart) return { restart: refusal('external.restart.no-restart', 'no-restart', manager), stop };
  if (input.pid === undefined) return { restart: refusal('external.restart.unidentified', 'unidentified', manager), stop };
  if (input.platform === 'win32') return { restart: refusal('external.restart.windows', 'windows', manager), stop };
  return { restart: { how: 'signal' }, stop };
}

const ENGLISH = createTranslator('en');

/** The refusal's code, and its English text (logs, API) from the one catalog the dashboard translates. */
function refusal(key: ExternalRefusalKey, why: ExternalRefusalCode, manager: ExternalGateway['manager']): ExternalRefusal {
  return { disabled: ENGLISH(key, { manager }), why };
}

function readEnviron(pid: number): Record<string, string> | undefined {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
    return Object.fromEntries(
      raw
        .split('\0')
        .filter((entry) => entry.includes('='))
        .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
    );
  } catch {
    return undefined;
  }
}

/** The facts about a running process that say who manages it (Linux; elsewhere: unknown). */
export function externalFacts(pid: number | undefined, platform: NodeJS.Platform = process.platform): ExternalFacts {
  if (pid === undefined || platform !== 'linux') return {};
  let cgroup: string | undefined;
  try {
    cgroup = fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8');
  } catch {
    cgroup = undefined;
  }
  // Only the names matter: keep nothing else from its environment (it may hold secrets).
  const environ = readEnviron(pid);
  const keep = ['INVOCATION_ID', 'OPENCLAW_SYSTEMD_UNIT', 'XPC_SERVICE_NAME', 'OPENCLAW_WINDOWS_TASK_NAME'];
  return { cgroup, ...(environ ? { environ: Object.fromEntries(keep.flatMap((name) => (environ[name] ? [[name, environ[name]]] : []))) } : {}) };
}

export function describeExternal(input: { pid?: number; signalRestart: boolean; cli: boolean; platform?: NodeJS.Platform }): ExternalGateway {
  const platform = input.platform ?? process.platform;
  const who = managerOf(externalFacts(input.pid, platform));
  return {
    ...(input.pid !== undefined ? { pid: input.pid } : {}),
    ...who,
    ...externalControls({ manager: who.manager, pid: input.pid, platform, signalRestart: input.signalRestart, cli: input.cli }),
  };
}
