// Quitting without orphans: the first quit request (tray, OS, Cmd+Q, SIGTERM/SIGINT) is held back
// with preventDefault while the gateway stops gracefully and its exit is confirmed; then the app
// exits. Bounded: if the stop hangs past the bound, the app exits anyway (after the core has
// already escalated to a tree kill). The OS ending the session takes the same path with a shorter
// bound: Electron skips before-quit then (Windows log-off/shutdown), and the OS waits only a few
// seconds (Windows' end-session timeout, systemd's InhibitDelayMaxSec = 5 s). Pure — run-app.ts
// wires it to before-quit, powerMonitor 'shutdown' and the window's 'session-end'.

export type QuitState = 'running' | 'stopping' | 'done';

export interface QuitFlowOptions {
  /** Stops the gateway (graceful, confirmed) and releases what the app holds. */
  shutdown: () => Promise<void>;
  /** Ends the process (Electron: app.exit, which skips before-quit). */
  exit: (code: number) => void;
  boundMs: number;
  /** The bound when the OS is ending the session: the stop must finish before the OS kills us. */
  systemBoundMs: number;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface QuitFlow {
  /** For Electron's before-quit: holds the quit until the gateway is down. */
  onBeforeQuit(event: { preventDefault(): void }): void;
  /**
   * For the OS ending the session: powerMonitor 'shutdown' (Linux, macOS; preventDefault asks the
   * OS to wait) and the window's 'session-end' (Windows; cannot be delayed, so no event).
   */
  onSystemShutdown(why: string, event?: { preventDefault(): void }): void;
  isQuitting(): boolean;
  /** Resolves when the shutdown finished (or timed out) and exit was called. */
  readonly finished: Promise<void>;
}

export function createQuitFlow(options: QuitFlowOptions): QuitFlow {
  let state: QuitState = 'running';
  let markFinished!: () => void;
  const finished = new Promise<void>((resolve) => (markFinished = resolve));

  const run = async (why: string, boundMs: number) => {
    options.log('info', `${why}: stopping the gateway first`);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, boundMs, 'timeout')));
    let code = 0;
    try {
      const outcome = await Promise.race([options.shutdown().then(() => 'done' as const), timedOut]);
      if (outcome === 'timeout') {
        code = 1;
        options.log('error', `${why}: the gateway did not stop within ${boundMs} ms; exiting anyway`);
      }
    } catch (error) {
      code = 1;
      options.log('error', `${why}: shutdown failed: ${(error as Error).stack ?? error}`);
    } finally {
      clearTimeout(timer);
    }
    state = 'done';
    options.exit(code);
    markFinished();
  };

  const begin = (why: string, boundMs: number) => {
    if (state !== 'running') return;
    state = 'stopping';
    void run(why, boundMs);
  };

  return {
    onBeforeQuit(event) {
      if (state === 'done') return;
      event.preventDefault();
      begin('quitting', options.boundMs);
    },
    onSystemShutdown(why, event) {
      if (state === 'done') return;
      event?.preventDefault();
      begin(why, options.systemBoundMs);
    },
    isQuitting: () => state !== 'running',
    finished,
  };
}
