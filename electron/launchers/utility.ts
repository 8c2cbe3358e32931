// The Electron utilityProcess launcher: runs a JS gateway entry with Electron's own Node runtime.
// Same contract as the core's child_process launcher. utilityProcess can only send SIGTERM
// (kill()) and reports an exit code but never a signal, so escalation goes through the core's
// tree kill, and the shared stop sequence supplies the grace/escalate/confirm timing.
import fs from 'node:fs';
import type { ForkOptions, UtilityProcess } from 'electron';
import { drainLines, settleOutput } from '../core/launcher/output-drain';
import { ProcessHandle } from '../core/launcher/process-handle';
import type { LaunchSpec, Launcher } from '../core/launcher/types';
import { isAlive, killTree, listDescendants } from '../core/process/tree';

/** The part of Electron's `utilityProcess` module the launcher uses. */
export interface UtilityProcessModule {
  fork(modulePath: string, args?: string[], options?: ForkOptions): UtilityProcess;
}

const IS_WINDOWS = process.platform === 'win32';

export function createUtilityProcessLauncher(utilityProcess: UtilityProcessModule): Launcher {
  return { name: 'utilityProcess', launch: (spec) => new UtilityGatewayProcess(utilityProcess, spec) };
}

class UtilityGatewayProcess extends ProcessHandle {
  private child: UtilityProcess | undefined;
  /** Kept after the exit (Electron clears child.pid), so the supervisor can still name it. */
  private spawnedPid: number | undefined;
  /** Set once Electron has reaped the process: from then on its pid may name another process. */
  private reaped = false;
  /** The tree as it was when we asked it to stop: whatever of it outlives the exit is killed. */
  private treeAtStop: number[] = [];

  constructor(utilityProcess: UtilityProcessModule, spec: LaunchSpec) {
    super();
    const problem = specProblem(spec);
    if (problem) {
      this.failSoon(problem);
      return;
    }
    let child: UtilityProcess;
    try {
      child = utilityProcess.fork(spec.file, spec.args, {
        env: spec.env,
        cwd: spec.cwd,
        stdio: 'pipe',
        serviceName: spec.serviceName,
      });
    } catch (error) {
      this.failSoon(new Error(`Cannot start the gateway with Electron's utilityProcess: ${(error as Error).message}`, { cause: error }));
      return;
    }
    this.child = child;
    this.watch(child);
  }

  get pid(): number | undefined {
    return this.spawnedPid;
  }

  private watch(child: UtilityProcess): void {
    // The streams exist from fork() on and Electron nulls them after the exit: keep them now.
    const { stdout, stderr } = child;
    const outputClosed = Promise.all([this.drain(stdout, 'stdout'), this.drain(stderr, 'stderr')]);
    child.once('spawn', () => {
      this.spawnedPid = child.pid;
      if (child.pid !== undefined) this.spawned.emit(child.pid);
    });
    // A V8 fatal error: the exit follows; keep the reason in the gateway's output.
    child.on('error', (type, location) => this.emitLine('stderr', `[utilityProcess ${type}] ${location}`));
    child.once('exit', (code) => {
      this.reaped = true;
      if (!this.spawned.done) this.failed.emit(new Error(`Cannot start the gateway: the utility process exited with code ${code} before it ran.`));
      // The exit is reported once the output is read and no leftover of a stop survives.
      void Promise.all([settleOutput(outputClosed, [stdout, stderr]), this.killLeftovers()]).then(() => this.exited.emit({ code, signal: null }));
    });
  }

  private drain(stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr'): Promise<void> {
    return stream ? drainLines(stream, (line) => this.emitLine(name, line)) : Promise.resolve();
  }

  /** The pid while it still names our process. */
  private livePid(): number | undefined {
    return this.reaped ? undefined : this.spawnedPid;
  }

  /**
   * POSIX: Electron's kill() (SIGTERM to the main process, which owns its workers' shutdown),
   * then SIGCONT, since a stopped process would not act on SIGTERM. Windows: taskkill /T asks the
   * whole tree (kill() there would terminate at once, like /F). The tree is listed first: once the
   * gateway exits, its leftovers are no longer its descendants.
   */
  protected async requestExit(): Promise<void> {
    const listed = this.livePid();
    if (listed === undefined) return;
    this.treeAtStop = await listDescendants(listed).catch(() => []);
    const pid = this.livePid();
    if (pid === undefined) return;
    if (IS_WINDOWS) {
      void killTree(pid, 'SIGTERM').catch(() => undefined);
      return;
    }
    this.child?.kill();
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // already gone: the exit event is on its way
    }
  }

  protected async killTreeNow(): Promise<void> {
    const pid = this.livePid();
    if (pid === undefined) return;
    await killTree(pid, 'SIGKILL').catch(() => undefined);
  }

  /**
   * A utility process has no process group of its own (it shares Electron's), so workers that
   * outlive a stopped gateway cannot be reached as a group: kill those we listed at stop time.
   */
  private async killLeftovers(): Promise<void> {
    for (const pid of this.treeAtStop) {
      if (isAlive(pid)) await killTree(pid, 'SIGKILL').catch(() => undefined);
    }
  }
}

/** A clear error for a spec utilityProcess cannot run (it runs JS entries with Electron's Node only). */
function specProblem(spec: LaunchSpec): Error | undefined {
  if (spec.mode !== 'fork') return new Error(`Cannot start the gateway: utilityProcess only runs JS entries, not "${spec.file}".`);
  if (spec.execPath) return new Error(`Cannot start the gateway: utilityProcess runs Electron's Node, not "${spec.execPath}".`);
  if (!fs.existsSync(spec.file)) return new Error(`Cannot start the gateway: entry script "${spec.file}" was not found.`);
  if (spec.cwd !== undefined && !fs.existsSync(spec.cwd))
    return new Error(`Cannot start the gateway: working directory "${spec.cwd}" does not exist.`);
  return undefined;
}
