// The dashboard API over the headless twin's HTTP endpoints and its server-sent events.
// Every request carries the token in the Authorization header; the event stream is read with
// fetch() for the same reason (EventSource cannot send headers, and a token in a URL ends up
// in logs).
import type { LogLine, SettingsUpdateResult, TimelineEntry } from '../../electron/core/api';
import type { Settings } from '../../electron/core/settings/schema';
import type { GatewayStatus } from '../../electron/core/status';
import type { UpdateView } from '../../electron/core/update-model';
import { reconnectDelayMs } from './reconnect';
import { SseParser, type ServerEvent } from './sse';
import { ApiError, UnauthorizedError, type Connection, type DashboardApi } from './types';

const HEADLESS_UPDATE: UpdateView = { kind: 'off', reason: 'headless' };

export interface HttpBridgeOptions {
  /** Origin of the headless twin, e.g. http://127.0.0.1:4321 */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  /** Delay before the n-th reconnect of the event stream. */
  retryDelayMs?: (attempt: number) => number;
}

type Listener<T> = (value: T) => void;

export class HttpBridge implements DashboardApi {
  private readonly fetchImpl: typeof fetch;
  private readonly retryDelayMs: (attempt: number) => number;
  private readonly statusListeners = new Set<Listener<GatewayStatus>>();
  private readonly logListeners = new Set<Listener<LogLine>>();
  private readonly connectionListeners = new Set<Listener<Connection>>();
  private stream?: AbortController;
  private unauthorized = false;

  constructor(private readonly options: HttpBridgeOptions) {
    // Unbound window.fetch throws "Illegal invocation" in browsers.
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.retryDelayMs = options.retryDelayMs ?? reconnectDelayMs;
  }

  getStatus(): Promise<GatewayStatus> {
    return this.request('GET', '/api/status');
  }
  start(): Promise<GatewayStatus> {
    return this.request('POST', '/api/start');
  }
  stop(): Promise<GatewayStatus> {
    return this.request('POST', '/api/stop');
  }
  restart(): Promise<GatewayStatus> {
    return this.request('POST', '/api/restart');
  }
  fullRestart(): Promise<GatewayStatus> {
    return this.request('POST', '/api/restart-full');
  }
  async openControlUi(): Promise<{ url?: string }> {
    const body = await this.request<{ url?: unknown } | undefined>('POST', '/api/control-ui');
    return typeof body?.url === 'string' ? { url: body.url } : {};
  }
  getSettings(): Promise<Settings> {
    return this.request('GET', '/api/settings');
  }
  async updateSettings(patch: Partial<Settings>): Promise<SettingsUpdateResult> {
    // A 400 with field errors is an answer, not a failure; any other 400 (bad body, …) is a failure.
    const result = await this.request<SettingsUpdateResult | { error?: unknown }>('PUT', '/api/settings', patch, [400]);
    if ('ok' in result && (result.ok || Array.isArray(result.errors))) return result;
    throw new ApiError('error' in result && typeof result.error === 'string' ? result.error : 'Pincer refused the settings.', 400);
  }
  getTimeline(): Promise<TimelineEntry[]> {
    return this.request('GET', '/api/timeline');
  }
  getLogTail(): Promise<LogLine[]> {
    return this.request('GET', '/api/logs');
  }
  async openLogs(): Promise<{ path?: string }> {
    const body = await this.request<{ path?: unknown } | undefined>('POST', '/api/open-logs');
    return typeof body?.path === 'string' ? { path: body.path } : {};
  }
  exportDiagnostics(): Promise<{ path: string }> {
    return this.request('POST', '/api/diagnostics');
  }
  // The headless twin does not update itself (it is updated with npm): nothing to ask the server.
  async getUpdate(): Promise<UpdateView> {
    return HEADLESS_UPDATE;
  }
  onUpdate(): () => void {
    return () => undefined;
  }
  installUpdate(): Promise<UpdateView> {
    return Promise.reject(new ApiError('The headless twin is updated with npm, not from the dashboard.'));
  }

  onStatus(callback: Listener<GatewayStatus>): () => void {
    return this.subscribe(this.statusListeners, callback);
  }
  onLog(callback: Listener<LogLine>): () => void {
    return this.subscribe(this.logListeners, callback);
  }
  onConnection(callback: Listener<Connection>): () => void {
    this.connectionListeners.add(callback);
    return () => {
      this.connectionListeners.delete(callback);
    };
  }

  private subscribe<T>(listeners: Set<Listener<T>>, callback: Listener<T>): () => void {
    listeners.add(callback);
    this.ensureStream();
    return () => {
      listeners.delete(callback);
      if (this.statusListeners.size === 0 && this.logListeners.size === 0) {
        this.stream?.abort();
        this.stream = undefined;
      }
    };
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { Authorization: `Bearer ${this.options.token}`, ...extra };
  }

  private url(path: string): string {
    return new URL(path, this.options.baseUrl).toString();
  }

  private async request<T>(method: string, path: string, body?: unknown, answerStatuses: number[] = []): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path), {
        method,
        headers: this.headers(
          body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
        ),
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw new ApiError('Pincer is not reachable.');
    }
    if (response.status === 401) {
      this.markUnauthorized();
      throw new UnauthorizedError();
    }
    if (!response.ok && !answerStatuses.includes(response.status)) {
      throw new ApiError(await errorMessage(response), response.status);
    }
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  private markUnauthorized(): void {
    if (this.unauthorized) return;
    this.unauthorized = true;
    this.stream?.abort();
    this.stream = undefined;
    this.emit(this.connectionListeners, { state: 'unauthorized' });
  }

  private ensureStream(): void {
    if (this.stream || this.unauthorized) return;
    const controller = new AbortController();
    this.stream = controller;
    void this.runStream(controller.signal);
  }

  /** Reads the event stream until aborted, reconnecting with backoff whenever it drops. */
  private async runStream(signal: AbortSignal): Promise<void> {
    let attempt = 0;
    while (!signal.aborted) {
      let delivered = false;
      try {
        const response = await this.fetchImpl(this.url('/api/events'), {
          headers: this.headers({ Accept: 'text/event-stream' }),
          cache: 'no-store',
          signal,
        });
        if (response.status === 401) {
          this.markUnauthorized();
          return;
        }
        if (!response.ok || !response.body) throw new ApiError(`event stream answered ${response.status}`, response.status);
        this.emit(this.connectionListeners, { state: 'connected' });
        // Events may have been missed while the stream was down (or before it opened): resync.
        this.getStatus().then(
          (status) => this.emit(this.statusListeners, status),
          () => undefined,
        );
        const parser = new SseParser((event) => {
          delivered = true;
          this.dispatch(event);
        });
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.push(decoder.decode(value, { stream: true }));
        }
      } catch {
        // Dropped, refused or aborted: handled below.
      }
      if (signal.aborted) return;
      if (delivered) attempt = 0;
      const retryInMs = this.retryDelayMs(attempt);
      attempt += 1;
      this.emit(this.connectionListeners, { state: 'lost', retryInMs, attempt });
      await sleep(retryInMs, signal);
    }
  }

  private dispatch(event: ServerEvent): void {
    let payload: unknown;
    try {
      payload = JSON.parse(event.data);
    } catch {
      return; // A malformed event is skipped; the next status replaces it anyway.
    }
    if (event.event === 'status') this.emit(this.statusListeners, payload as GatewayStatus);
    else if (event.event === 'log') this.emit(this.logListeners, payload as LogLine);
  }

  private emit<T>(listeners: Set<Listener<T>>, value: T): void {
    for (const listener of [...listeners]) {
      try {
        listener(value);
      } catch (error) {
        console.error('dashboard listener failed', error);
      }
    }
  }
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown; message?: unknown };
    const text = typeof body.error === 'string' ? body.error : typeof body.message === 'string' ? body.message : undefined;
    if (text) return text;
  } catch {
    // Not JSON: fall back to the status line.
  }
  return `Pincer answered ${response.status} ${response.statusText}`.trim();
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
