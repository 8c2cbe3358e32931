// Restarts a gateway performs itself, and the means Pincer has for gateways it did not start.
// Pincer's own OpenClaw: its in-process restart (SIGUSR2) when it is healthy and would start exactly
// as it runs (policy/restart-kind.ts), else the caller's full restart. An attached gateway: SIGUSR2
// for one started by hand, `openclaw gateway restart` / `stop` for OpenClaw's own service, or a
// refusal with the reason: never a kill, never a second gateway.
import { describeExternal } from '../gateway/external';
import { runOpenClawCli } from '../gateway/cli-run';
import type { GatewayProgram } from '../gateway/programs';
import type { LaunchSpec } from '../launcher/types';
import { chooseRestart } from '../policy/restart-kind';
import { findPortOwner } from '../port/owner';
import type { RestartRecord } from '../status';
import type { SupervisionContext } from './context';
import { newGeneration, type Generation } from './generation';
import { selfRestart, signalRestart, type SelfRestartResult } from './self-restart';

export type OwnRestart =
  /** The gateway restarted itself and answers again. */
  | { outcome: 'done'; kind: RestartRecord['kind']; ms: number; reason?: string }
  /** Pincer replaces the process (its own gateway only). */
  | { outcome: 'full'; reason?: string }
  /** An attached gateway Pincer has no means to restart, or whose own restart failed. */
  | { outcome: 'refused'; reason: string }
  | { outcome: 'superseded' };

export class OwnMeans {
  constructor(private readonly context: SupervisionContext) {}

  /**
   * A healthy gateway already on the public port: used, never owned (no process to stop). The
   * status tells who runs it and what Restart / Stop do.
   */
  attach(program: GatewayProgram, port: number, pid: number | undefined): Generation {
    this.context.log('info', `a healthy gateway already listens on port ${port} (pid ${pid ?? 'unknown'}); attaching instead of starting another`);
    const external = describeExternal({ pid, signalRestart: program.inProcessRestart, cli: program.cli !== undefined });
    this.context.model.update({ pid, attached: true, external });
    return newGeneration(program, port);
  }

  async restart(generation: Generation, full: boolean): Promise<OwnRestart> {
    if (!generation.process) return this.restartExternal(generation);
    const decision = chooseRestart({
      full,
      inProcess: generation.program.inProcessRestart,
      platform: process.platform,
      healthy: generation.status === 'running' && generation.connection !== undefined,
      owned: true,
      launched: generation.spec,
      next: full ? undefined : this.nextSpec(generation),
    });
    if (decision.kind === 'full') return { outcome: 'full', reason: full ? undefined : decision.reason };
    const pid = generation.process.pid!;
    this.context.log('info', `restarting the gateway in-process (SIGUSR2 to pid ${pid})`);
    const result = await this.wait(() => signalRestart(pid));
    if (!result) return { outcome: 'superseded' };
    if (result.ok) return { outcome: 'done', kind: 'in-process', ms: result.ms };
    this.context.log('warn', `the in-process restart failed: ${result.reason}; replacing the process`);
    return { outcome: 'full', reason: `the in-process restart failed: ${result.reason}` };
  }

  /** Stop on an attached gateway: its service's own stop, when it has one (else Pincer only lets go). */
  async stopExternal(generation: Generation): Promise<void> {
    const external = this.context.model.current.external;
    if (generation.process || !external || !('how' in external.stop) || !generation.program.cli) return;
    this.context.log('info', `stopping the external gateway through its ${external.manager} service (openclaw gateway stop)`);
    const result = await runOpenClawCli(
      generation.program.cli(['gateway', 'stop'], this.context.gatewayEnv(generation.program)),
      this.context.timeouts.selfRestartMs,
    );
    if (result.code !== 0) this.context.log('warn', `openclaw gateway stop failed: ${result.error ?? `exit ${result.code}`}`);
  }

  private async restartExternal(generation: Generation): Promise<OwnRestart> {
    const { context } = this;
    const external = context.model.current.external;
    const how = external?.restart;
    if (!external || !how || 'disabled' in how)
      return { outcome: 'refused', reason: how && 'disabled' in how ? how.disabled : 'Pincer did not start this gateway.' };
    const program = generation.program;
    let trigger: () => Promise<void> | void;
    if (how.how === 'signal' && external.pid !== undefined) {
      const pid = external.pid;
      context.log('info', `asking the external gateway (pid ${pid}) to restart itself (SIGUSR2)`);
      trigger = () => signalRestart(pid);
    } else if (how.how === 'service' && program.cli) {
      const cli = program.cli;
      context.log('info', `restarting the external gateway through its ${external.manager} service (openclaw gateway restart)`);
      trigger = async () => {
        const result = await runOpenClawCli(cli(['gateway', 'restart'], context.gatewayEnv(program)), context.timeouts.selfRestartMs);
        if (result.code !== 0) throw new Error(`openclaw gateway restart: ${result.error ?? `exit ${result.code}`}`);
      };
    } else return { outcome: 'refused', reason: 'Pincer has no means to restart this gateway.' };
    // Its port may close while it restarts: the connection watch must not take it for gone.
    generation.selfRestartUntil = Date.now() + context.timeouts.selfRestartMs;
    const result = await this.wait(trigger).finally(() => (generation.selfRestartUntil = undefined));
    if (!result) return { outcome: 'superseded' };
    if (!result.ok) return { outcome: 'refused', reason: `its restart did not work: ${result.reason}` };
    // A service restart brings a new process: name it.
    const owner = await findPortOwner(generation.port).catch(() => undefined);
    const pid = owner?.pid ?? external.pid;
    context.model.update({ pid, external: { ...external, ...(pid === undefined ? {} : { pid }) } });
    return how.how === 'signal'
      ? { outcome: 'done', kind: 'in-process', ms: result.ms }
      : { outcome: 'done', kind: 'full', ms: result.ms, reason: `through its ${external.manager} service` };
  }

  /** selfRestart with the supervisor's status; undefined when a newer intent superseded it. */
  private async wait(trigger: () => Promise<void> | void): Promise<SelfRestartResult | undefined> {
    const { context } = this;
    try {
      return await selfRestart(
        { bootId: () => context.model.current.gateway.bootId, state: () => context.model.snapshot().state, sleep: context.sleep },
        trigger,
        context.timeouts.selfRestartMs,
      );
    } catch {
      return undefined;
    }
  }

  /** What the generation would be launched with now: a change means an in-process restart would miss it. */
  private nextSpec(generation: Generation): LaunchSpec | undefined {
    try {
      const program = this.context.options.program();
      return program.launch(generation.port, this.context.gatewayEnv(program));
    } catch {
      return undefined;
    }
  }
}
