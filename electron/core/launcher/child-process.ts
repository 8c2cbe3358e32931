// The Node child_process launcher: runs a JS entry with a chosen Node binary ('fork') or an
// executable ('spawn'), drains stdout and stderr line by line, and stops the whole process tree.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { killTree, signalProcessGroup } from '../process/tree';
import { drainLines, settleOutput } from './output-drain';
import { ProcessHandle } from './process-handle';
import type { LaunchSpec, Launcher } from './types';

const IS_WINDOWS = process.platform === 'win32';

export function createChildProcessLauncher(): Launcher {
  return { name: 'child_process', launch: (spec) => new ChildGatewayProcess(spec) };
}

class ChildGatewayProcess extends ProcessHandle {
  private child: ChildProcess | undefined;
  /** Set once the OS has reaped the main process: from then on its pid may name another process. */
  private reaped = false;

  constructor(spec: LaunchSpec) {
    super();
    const problem = specProblem(spec);
    if (problem) {
      this.failSoon(problem);
      return;
    }
    // fork: spawn(node, [entry, ...args]) rather than child_process.fork, so any Node binary works
    // and no IPC channel is opened. (Under Electron, process.execPath is Electron itself: pass a
    // Node runtime as execPath. ELECTRON_RUN_AS_NODE does nothing in the packaged app: its
    // RunAsNode fuse is off.)
    const [command, args] = spec.mode === 'fork' ? [spec.execPath ?? process.execPath, [spec.file, ...spec.args]] : [spec.file, spec.args];
    const options: SpawnOptions = {
      // Exactly the environment the core built (the token travels here; argv is visible to every
      // local user, so nothing from env is ever copied into args).
      env: spec.env,
      cwd: spec.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      // POSIX: its own process group, so the tree can be signalled as one — even the orphans a
      // crashed gateway leaves — and a Ctrl+C at our terminal does not hit the gateway directly
      // (we stop it gracefully instead). On Windows `detached` would open a new console.
      detached: !IS_WINDOWS,
    };
    try {
      this.child = spawn(command, args, options);
    } catch (error) {
      this.failSoon(startError(command, error));
      return;
    }
    this.watch(this.child, command);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private watch(child: ChildProcess, command: string): void {
    child.once('spawn', () => this.spawned.emit(child.pid!));
    child.on('error', (error) => {
      // Before 'spawn' this is a start failure, and Node emits no 'exit' after it. Later errors
      // come only from child.kill()/send(), which we never use.
      if (this.spawned.done) return;
      this.failed.emit(startError(command, error));
      this.exited.emit({ code: null, signal: null });
    });
    const outputClosed = Promise.all([this.drain(child, 'stdout'), this.drain(child, 'stderr')]);
    child.once('exit', (code, signal) => {
      this.reaped = true;
      // Workers the gateway left behind would keep its port and our pipes open: end its group.
      if (!IS_WINDOWS && child.pid !== undefined) signalProcessGroup(child.pid, 'SIGKILL');
      // onExit comes after the last output line — bounded, since a process outside the group may hold the pipes.
      void settleOutput(outputClosed, [child.stdout, child.stderr]).then(() => this.exited.emit({ code, signal }));
    });
  }

  private drain(child: ChildProcess, name: 'stdout' | 'stderr'): Promise<void> {
    return drainLines(child[name]!, (line) => this.emitLine(name, line));
  }

  /** The pid while it still names our process. */
  private livePid(): number | undefined {
    return this.reaped ? undefined : this.child?.pid;
  }

  /**
   * POSIX: SIGTERM to the main process only — it owns its workers' shutdown during the grace
   * period — then SIGCONT, since a stopped process would not act on SIGTERM. Windows: taskkill /T,
   * which asks the whole tree (never /F here).
   */
  protected requestExit(): void {
    const pid = this.livePid();
    if (pid === undefined) return;
    if (IS_WINDOWS) {
      void killTree(pid, 'SIGTERM').catch(() => {});
      return;
    }
    for (const signal of ['SIGTERM', 'SIGCONT'] as const) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone: the exit event is on its way
      }
    }
  }

  /** SIGKILL (taskkill /T /F) for the whole tree, then for what remains of its process group. */
  protected async killTreeNow(): Promise<void> {
    const pid = this.livePid();
    if (pid === undefined) return;
    await killTree(pid, 'SIGKILL').catch(() => {});
    if (!IS_WINDOWS && !this.reaped) signalProcessGroup(pid, 'SIGKILL');
  }
}

function codedError(message: string, code: string, cause?: unknown): Error {
  return Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { code });
}

/** A clear error for a spec that cannot start (Node's own messages blame the wrong file, e.g. for a missing cwd). */
function specProblem(spec: LaunchSpec): Error | undefined {
  if (spec.mode !== 'fork' && spec.mode !== 'spawn')
    return codedError(`Cannot start the gateway: unknown launch mode "${String(spec.mode)}".`, 'EINVAL');
  if (typeof spec.file !== 'string' || spec.file === '') return codedError('Cannot start the gateway: no program file given.', 'EINVAL');
  if (!Array.isArray(spec.args) || !spec.args.every((arg) => typeof arg === 'string'))
    return codedError('Cannot start the gateway: arguments must be strings.', 'EINVAL');
  if (typeof spec.env !== 'object' || spec.env === null || !Object.values(spec.env).every((value) => typeof value === 'string')) {
    return codedError('Cannot start the gateway: environment values must be strings.', 'EINVAL');
  }
  if (spec.cwd !== undefined && !existsSync(spec.cwd))
    return codedError(`Cannot start the gateway: working directory "${spec.cwd}" does not exist.`, 'ENOENT');
  if (spec.mode === 'fork' && !existsSync(spec.file))
    return codedError(`Cannot start the gateway: entry script "${spec.file}" was not found.`, 'ENOENT');
  return undefined;
}

function startError(command: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
  const reason =
    code === 'ENOENT'
      ? 'was not found'
      : code === 'EACCES'
        ? 'is not executable (permission denied)'
        : `could not be run: ${(error as Error).message}`;
  return codedError(`Cannot start the gateway: "${command}" ${reason} (${code}).`, code, error);
}
