// Crash recovery: an unexpected exit → the exit decision → backoff → the next generation (or the
// gateway's own repair first, for exit 78; or `error` when it is a crash loop or the repair failed).
import type { ExitEvent } from '../launcher/types';
import { gatewayError } from '../errors';
import type { GatewayProgram } from '../gateway/programs';
import { attemptsAfterRun, backoffDelay } from '../policy/backoff';
import { isCrashLoop, ranStably, recordUnexpectedExit } from '../policy/crash-loop';
import { decideOnExit } from '../policy/exit-policy';
import { backoffPolicy, crashLoopPolicy } from '../policy/restart-policy';
import type { GatewayError } from '../status';
import type { SupervisionContext } from './context';
import type { Generation } from './generation';

export class CrashRecovery {
  /** Exits of generations that never became stable, inside the crash-loop window. */
  private unstableExits: number[] = [];
  private attempts = 0;
  private repairAttempted = false;
  private lastRepair?: GatewayError['repair'];

  constructor(private readonly host: SupervisionContext) {}

  /** A user start clears what automatic recovery gave up on. */
  reset(): void {
    this.unstableExits = [];
    this.attempts = 0;
    this.repairAttempted = false;
  }

  /** A restart the user asked for comes without backoff. */
  resetBackoff(): void {
    this.attempts = 0;
  }

  /** The current generation exited on its own at `at`; recovery runs in `epoch`. */
  onUnexpectedExit(generation: Generation, exit: ExitEvent, at: number, epoch: number): void {
    const loop = crashLoopPolicy(this.host.options.settings().restartPolicy);
    this.unstableExits = recordUnexpectedExit(this.unstableExits, at, loop, ranStably(generation.runningSince, at, loop));
    const decision = decideOnExit({ code: exit.code, repairAttempted: this.repairAttempted, crashLoop: isCrashLoop(this.unstableExits, loop) });
    switch (decision.action) {
      case 'repair':
        void this.repairThenStart(generation.program, epoch);
        return;
      case 'config-invalid':
        this.host.fail(
          gatewayError('CONFIG_INVALID', 'The gateway exited with code 78 (configuration invalid) again after one repair.', {
            repair: this.lastRepair,
          }),
        );
        return;
      case 'crash-loop':
        this.host.fail(
          gatewayError(
            'CRASH_LOOP',
            `The gateway exited ${this.unstableExits.length} times within ${Math.round(loop.windowMs / 1000)} s, each time before it had run stably for ${loop.minUptimeMs / 1000} s.`,
          ),
        );
        return;
      case 'restart':
        void this.restartAfterCrash(generation, at, epoch);
    }
  }

  private async restartAfterCrash(generation: Generation, exitedAt: number, epoch: number): Promise<void> {
    const policy = backoffPolicy(this.host.options.settings().restartPolicy);
    this.attempts = attemptsAfterRun(this.attempts, exitedAt - generation.spawnedAt, policy) + 1;
    const delay = backoffDelay(this.attempts, policy, this.host.random());
    this.host.enterRestarting();
    this.host.model.update({ restarts: this.host.model.current.restarts + 1 });
    if (delay > 0) this.host.log('info', `restarting the gateway in ${delay} ms (attempt ${this.attempts})`);
    try {
      await this.host.sleep(delay);
    } catch {
      return; // superseded
    }
    if (this.host.isCurrent(epoch)) await this.host.launchStart(epoch);
  }

  private async repairThenStart(program: GatewayProgram, epoch: number): Promise<void> {
    const { host } = this;
    this.repairAttempted = true;
    host.enterRestarting();
    const spec = program.repair(host.gatewayEnv(program));
    const command = `${spec.file} ${spec.args.join(' ')}`;
    host.log('warn', `gateway exited 78 (configuration invalid); running its repair once: ${command}`);
    const repairProcess = host.options.launcher.launch(spec);
    repairProcess.onLine((stream, text) =>
      host.model.addLog({ at: Date.now(), source: stream, level: 'info', text: `[repair] ${host.redact(text)}` }),
    );
    const exit = await new Promise<ExitEvent>((resolve) => {
      const timer = setTimeout(
        () => void repairProcess.kill().then(resolve, () => resolve({ code: null, signal: 'SIGKILL' })),
        host.timeouts.repairMs,
      );
      repairProcess.onExit((event) => {
        clearTimeout(timer);
        resolve(event);
      });
    });
    this.lastRepair = { command, exitCode: exit.code };
    host.log('info', `repair finished with exit code ${exit.code}`);
    if (host.isCurrent(epoch)) await host.launchStart(epoch);
  }
}
