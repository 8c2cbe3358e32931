// How the core starts a gateway process. Two implementations: Node child_process (core) and
// Electron utilityProcess (electron/launchers/utility.ts). Both report the same events.

export interface LaunchSpec {
  /** 'fork': run a JS entry with a JS runtime; 'spawn': run an executable. */
  mode: 'fork' | 'spawn';
  /** The JS entry (fork) or the executable (spawn). */
  file: string;
  args: string[];
  /** Complete environment for the child (the core builds it; the token goes here, never in args). */
  env: Record<string, string>;
  cwd?: string;
  /** For 'fork' with child_process: the Node executable (default: process.execPath). */
  execPath?: string;
  /** Shown by the OS / Electron as the process name. */
  serviceName: string;
}

export interface ExitEvent {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface GatewayProcess {
  /** Undefined until spawned. */
  readonly pid: number | undefined;
  onSpawn(listener: (pid: number) => void): void;
  /** One line of stdout or stderr, without the line ending. Both streams are always drained. */
  onLine(listener: (stream: 'stdout' | 'stderr', line: string) => void): void;
  /** Fires exactly once. */
  onExit(listener: (exit: ExitEvent) => void): void;
  /** Fires when the process could not be started at all (then onExit also fires). */
  onError(listener: (error: Error) => void): void;
  /**
   * Graceful request (SIGTERM; Windows: taskkill /T), then after graceMs a kill of the whole
   * process tree (SIGKILL; Windows: taskkill /T /F), then wait for the confirmed exit, bounded.
   * Resolves with the exit; rejects only if the exit is not confirmed within the bound.
   */
  stop(options?: { graceMs?: number; confirmMs?: number }): Promise<ExitEvent>;
  /** Immediate kill of the whole tree (hung gateway). Same resolution as stop(). */
  kill(options?: { confirmMs?: number }): Promise<ExitEvent>;
}

export interface Launcher {
  readonly name: 'child_process' | 'utilityProcess';
  launch(spec: LaunchSpec): GatewayProcess;
}
