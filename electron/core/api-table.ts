// The main side of PincerApi, written once: per method, check the payload, call the service,
// shape the answer. The IPC bridge (electron/ipc.ts) and the HTTP API (electron/headless/server.ts)
// both serve this table, so a call behaves the same whichever way it came; they only map
// ApiError to their transport.
import type { ApiMethod, PincerApi, SettingsUpdateResult } from './api';
import { argsProblem } from './api-args';
import { ControlUiError } from './gateway/control-ui';
import type { PincerService } from './service';
import type { GatewayStatus } from './status';
import type { UpdateView } from './update-model';

export class ApiError extends Error {
  constructor(
    /** refused: the caller sent a bad payload; failed: the call itself went wrong. */
    readonly kind: 'refused' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiTableHost {
  service: PincerService;
  /** Opens the logs folder where the front end can (desktop), and answers with its path. */
  openLogs(): Promise<{ path?: string }>;
  /**
   * Opens a one-time Control UI link: the desktop opens the browser itself and answers without it;
   * the headless twin answers with it for the dashboard page (in the user's browser) to open.
   */
  openControlUi(url: string): Promise<{ url?: string }>;
  log(level: 'warn' | 'error', message: string): void;
  /** Self-updates: the desktop app's updater; the headless twin answers 'off' (it is updated with npm). */
  updates: UpdateSource;
}

export interface UpdateSource {
  view(): UpdateView;
  install(): Promise<UpdateView>;
}

/** The headless twin's updates: none (npm updates it). */
export const NO_UPDATES: UpdateSource = {
  view: () => ({ kind: 'off', reason: 'headless' }),
  install: async () => ({ kind: 'off', reason: 'headless' }),
};

export type ApiTable = { [M in ApiMethod]: (args: readonly unknown[]) => Promise<Awaited<ReturnType<PincerApi[M]>>> };

/** start / stop / restart: accepted at once, progress arrives as status pushes. */
export const INTENTS: ReadonlySet<ApiMethod> = new Set(['start', 'stop', 'restart', 'fullRestart']);

export function createApiTable(host: ApiTableHost): ApiTable {
  const { service } = host;
  const { supervisor } = service;

  const intent = (action: 'start' | 'stop' | 'restart' | 'fullRestart'): GatewayStatus => {
    // Restart: in-process when OpenClaw can (see policy/restart-kind.ts); fullRestart: always a new process.
    const run =
      action === 'restart'
        ? service.restartGateway('auto')
        : action === 'fullRestart'
          ? service.restartGateway('full')
          : action === 'stop'
            ? service.stopGateway()
            : supervisor.start();
    run.catch((error: Error) => host.log('error', `${action} failed: ${error.message}`));
    return supervisor.status();
  };

  const handlers: { [M in ApiMethod]: (...args: unknown[]) => Awaited<ReturnType<PincerApi[M]>> | ReturnType<PincerApi[M]> } = {
    getStatus: () => supervisor.status(),
    start: () => intent('start'),
    stop: () => intent('stop'),
    restart: () => intent('restart'),
    fullRestart: () => intent('fullRestart'),
    openControlUi: async () => {
      let url: string;
      try {
        url = await service.controlUiUrl();
      } catch (error) {
        // Not a fault: there is no Control UI right now (reference gateway, not running); the reason is the answer.
        if (error instanceof ControlUiError) throw new ApiError('refused', error.message);
        throw error;
      }
      return host.openControlUi(url);
    },
    getSettings: () => service.getSettings(),
    updateSettings: (patch) => service.updateSettings(patch),
    getTimeline: () => supervisor.timeline(),
    getLogTail: () => supervisor.logs(),
    openLogs: () => host.openLogs(),
    exportDiagnostics: () => service.exportDiagnostics(),
    getUpdate: () => host.updates.view(),
    installUpdate: () => host.updates.install(),
  };

  const entry =
    <M extends ApiMethod>(method: M) =>
    async (args: readonly unknown[]): Promise<Awaited<ReturnType<PincerApi[M]>>> => {
      const invalid = argsProblem(method, args);
      if (invalid && method === 'updateSettings') {
        // Same shape as a field error from the core, so the dashboard shows it the same way.
        return { ok: false, errors: [{ field: '', message: invalid }] } satisfies SettingsUpdateResult as Awaited<ReturnType<PincerApi[M]>>;
      }
      if (invalid) throw new ApiError('refused', invalid);
      try {
        return await handlers[method](...args);
      } catch (error) {
        if (error instanceof ApiError) throw error;
        const message = service.redact((error as Error)?.message ?? String(error));
        host.log('error', `${method} failed: ${service.redact((error as Error)?.stack ?? message)}`);
        throw new ApiError('failed', `${method} failed: ${message}`);
      }
    };

  return Object.fromEntries((Object.keys(handlers) as ApiMethod[]).map((method) => [method, entry(method)])) as ApiTable;
}
