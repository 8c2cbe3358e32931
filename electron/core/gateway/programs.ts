// The gateway programs Pincer knows how to run, as launch specs. Adding a gateway kind means
// adding one factory here; the supervisor only sees GatewayProgram.
import type { LaunchSpec } from '../launcher/types';
import type { GatewayInfo, GatewayKind, GatewaySource } from '../status';
import type { GatewayCredential } from './credential';

/** What the status shows about a program besides kind, source and version. */
export type ProgramDetails = Pick<GatewayInfo, 'path' | 'via' | 'node' | 'candidates' | 'fallbackReason' | 'fallback' | 'config' | 'auth'>;

export interface GatewayProgram {
  kind: GatewayKind;
  source: GatewaySource;
  version?: string;
  details?: ProgramDetails;
  /**
   * The credential the gateway requires. 'pincer': none is configured, so Pincer's generated token
   * is put in its environment; any other: the user's, used for Pincer's connection, never injected.
   */
  credential: GatewayCredential;
  /**
   * Two generations can run at once (on different ports), so a restart can start the next one
   * before stopping the old (blue/green). OpenClaw can't: a second instance on the same state
   * dir exits 78 (its gateway lock), so it is stopped first while the front door holds clients.
   */
  sideBySide: boolean;
  /** It restarts itself in-process on SIGUSR2 (same pid, new bootId), as OpenClaw does. */
  inProcessRestart: boolean;
  launch(port: number, env: Record<string, string>): LaunchSpec;
  /** The gateway's own repair for exit 78 (EX_CONFIG), run once with the same environment. */
  repair(env: Record<string, string>): LaunchSpec;
  /** Another command of the same install (`openclaw dashboard --json`, `gateway restart`); OpenClaw only. */
  cli?(args: string[], env: Record<string, string>): LaunchSpec;
}

const REPAIR_ARGS = ['doctor', '--fix', '--yes', '--non-interactive'];

export function referenceGateway(entry: string, version: string, execPath?: string): GatewayProgram {
  const spec = (args: string[], env: Record<string, string>): LaunchSpec => ({
    mode: 'fork',
    file: entry,
    args,
    env,
    execPath,
    serviceName: 'Pincer Gateway',
  });
  return {
    kind: 'reference',
    source: 'reference',
    version,
    credential: { kind: 'pincer' },
    sideBySide: true,
    // It implements SIGUSR2 too, but blue/green already restarts it without a gap.
    inProcessRestart: false,
    launch: (port, env) => spec(['gateway', '--port', String(port), '--bind', 'loopback'], env),
    repair: (env) => spec(REPAIR_ARGS, env),
  };
}

export interface OpenClawInstall {
  /** openclaw.mjs of an installed `openclaw` package (never a flattened copy). */
  entry: string;
  /** A Node >= 24.16 runtime; undefined = the launcher's own runtime (e.g. Electron's Node 24). */
  node?: string;
  version?: string;
  source: GatewaySource;
  /** The package folder (for the status). */
  path?: string;
}

export interface OpenClawRun {
  credential: GatewayCredential;
  /** gateway.mode is set in its config: it starts without --allow-unconfigured. */
  configured: boolean;
  details?: ProgramDetails;
}

export function openclawGateway(install: OpenClawInstall, run: OpenClawRun = { credential: { kind: 'pincer' }, configured: false }): GatewayProgram {
  const spec = (args: string[], env: Record<string, string>): LaunchSpec => ({
    mode: 'fork',
    file: install.entry,
    args,
    env,
    execPath: install.node,
    serviceName: 'Pincer Gateway',
  });
  return {
    kind: 'openclaw',
    source: install.source,
    version: install.version,
    details: run.details,
    credential: run.credential,
    sideBySide: false,
    inProcessRestart: true,
    // Always loopback: in a container OpenClaw's default bind became 0.0.0.0. A gateway the user set
    // up (gateway.mode in its config) starts as it would by hand; only an unconfigured one needs
    // --allow-unconfigured.
    launch: (port, env) => spec(['gateway', '--port', String(port), '--bind', 'loopback', ...(run.configured ? [] : ['--allow-unconfigured'])], env),
    repair: (env) => spec(REPAIR_ARGS, env),
    cli: (args, env) => spec(args, env),
  };
}
