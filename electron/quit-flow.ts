// Quitting without orphans: the first quit request (tray, OS, Cmd+Q, SIGTERM/SIGINT) is held back
// with preventDefault while the gateway stops gracefully and its exit is confirmed; then the app
// exits. Bounded: if the stop hangs past the bound, the app exits anyway (after the core has
// already escalated to a tree kill). Pure — app.ts wires it to Electron's before-quit.

export type QuitState = 'running' | 'stopping' | 'done';

export interface QuitFlowOptions {
  /** Stops the gateway (graceful, confirmed) and releases what the app holds. */
  shutdown: () => Promise<void>;
  /** Ends the process (Electron: app.exit, which skips before-quit). */
  exit: (code: number) => void;
  boundMs: number;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface QuitFlow {
  /** For Electron's before-quit: holds the quit until the gateway is down. */
  onBeforeQuit(event: { preventDefault(): void }): void;
  isQuitting(): boolean;
  /** Resolves when the shutdown finished (or timed out) and exit was called. */
  readonly finished: Promise<void>;
}

export function createQuitFlow(options: QuitFlowOptions): QuitFlow {
  let state: QuitState = 'running';
  let markFinished!: () => void;
  const finished = new Promise<void>((resolve) => (markFinished = resolve));

  const run = async () => {
    options.log('info', 'quitting: stopping the gateway first');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, options.boundMs, 'timeout')));
    let code = 0;
    try {
      const outcome = await Promise.race([options.shutdown().then(() => 'done' as const), timedOut]);
      if (outcome === 'timeout') {
        code = 1;
        options.log('error', `quitting: the gateway did not stop within ${options.boundMs} ms; exiting anyway`);
      }
    } catch (error) {
      code = 1;
      options.log('error', `quitting: shutdown failed: ${(error as Error).stack ?? error}`);
    } finally {
      clearTimeout(timer);
    }
    state = 'done';
    options.exit(code);
    markFinished();
  };

  return {
    onBeforeQuit(event) {
      if (state === 'done') return;
      event.preventDefault();
      if (state === 'running') {
        state = 'stopping';
        void run();
      }
    },
    isQuitting: () => state !== 'running',
    finished,
  };
}
