// Uncaught exceptions and unhandled rejections in the main process: logged and shown, never a
// silent death. The process keeps running — and with it the supervisor, which still owns the
// gateway — so nothing is orphaned; the user decides whether to quit (which stops the gateway).
// Pure: the host (process) and the reporting are injected.

export interface CrashHost {
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

export interface CrashReport {
  kind: 'uncaught exception' | 'unhandled rejection';
  message: string;
  detail: string;
}

export function describeCrash(kind: CrashReport['kind'], reason: unknown): CrashReport {
  if (reason instanceof Error) return { kind, message: reason.message || reason.name, detail: reason.stack ?? String(reason) };
  const text = typeof reason === 'string' ? reason : safeJson(reason);
  return { kind, message: text, detail: text };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function installCrashGuard(host: CrashHost, report: (crash: CrashReport) => void): void {
  const safely = (crash: CrashReport) => {
    try {
      report(crash);
    } catch (error) {
      // Reporting must never throw back into the handler (that would recurse).
      console.error('pincer: failed to report a crash', error, crash.detail);
    }
  };
  host.on('uncaughtException', (error) => safely(describeCrash('uncaught exception', error)));
  host.on('unhandledRejection', (reason) => safely(describeCrash('unhandled rejection', reason)));
}
