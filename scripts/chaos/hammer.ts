// The client hammering the public gateway port throughout the soak: a new TCP connect or an HTTP
// GET /healthz every `intervalMs` (alternating), each on a fresh connection, bounded in flight.
// Every failure is kept with its time span so it can be judged against what was happening.
import http from 'node:http';
import net from 'node:net';
import type { ClientFailure, FailureOutcome } from './outages';

export interface HammerOptions {
  port: number;
  intervalMs?: number;
  timeoutMs?: number;
  maxInFlight?: number;
}

export interface HammerReport {
  requests: number;
  ok: number;
  failures: ClientFailure[];
  byOutcome: Record<FailureOutcome, number>;
  /** The longest a successful request took (a held connection shows up here). */
  longestWaitMs: number;
}

function outcomeOf(error: NodeJS.ErrnoException): FailureOutcome {
  if (error.code === 'ECONNREFUSED') return 'refused';
  if (error.code === 'ETIMEDOUT' || /timed out|timeout/i.test(error.message)) return 'timeout';
  return 'reset'; // ECONNRESET, EPIPE, "socket hang up": the connection was accepted, then dropped
}

export class Hammer {
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly maxInFlight: number;
  private timer?: NodeJS.Timeout;
  private inFlight = new Set<Promise<void>>();
  private tick = 0;
  private readonly report: HammerReport = {
    requests: 0,
    ok: 0,
    failures: [],
    byOutcome: { refused: 0, reset: 0, timeout: 0, 'http-error': 0 },
    longestWaitMs: 0,
  };

  constructor(private readonly options: HammerOptions) {
    this.intervalMs = options.intervalMs ?? 20;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxInFlight = options.maxInFlight ?? 64;
  }

  start(): void {
    this.timer ??= setInterval(() => this.fire(), this.intervalMs);
  }

  /** Stops firing and waits for the requests in flight (each is bounded by its timeout). */
  async stop(): Promise<HammerReport> {
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all(this.inFlight);
    return this.snapshot();
  }

  snapshot(): HammerReport {
    return { ...this.report, failures: [...this.report.failures], byOutcome: { ...this.report.byOutcome } };
  }

  private fire(): void {
    if (this.inFlight.size >= this.maxInFlight) return;
    const probe = this.tick++ % 2 === 0 ? 'tcp' : 'http';
    const startedAt = Date.now();
    const attempt = (probe === 'tcp' ? this.connectOnce() : this.getOnce()).then(
      () => {
        this.report.ok += 1;
        this.report.longestWaitMs = Math.max(this.report.longestWaitMs, Date.now() - startedAt);
      },
      (failure: { outcome: FailureOutcome; detail: string }) => {
        this.report.byOutcome[failure.outcome] += 1;
        this.report.failures.push({ startedAt, endedAt: Date.now(), probe, ...failure });
      },
    );
    this.report.requests += 1;
    const tracked = attempt.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private connectOnce(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port: this.options.port });
      socket.setTimeout(this.timeoutMs, () => socket.destroy(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })));
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', (error: NodeJS.ErrnoException) => reject({ outcome: outcomeOf(error), detail: error.code ?? error.message }));
    });
  }

  private getOnce(): Promise<void> {
    return new Promise((resolve, reject) => {
      const request = http.get(
        { host: '127.0.0.1', port: this.options.port, path: '/healthz', agent: false, timeout: this.timeoutMs },
        (response) => {
          response.resume();
          response.on('error', (error: NodeJS.ErrnoException) => reject({ outcome: outcomeOf(error), detail: error.code ?? error.message }));
          response.on('end', () =>
            response.statusCode === 200 ? resolve() : reject({ outcome: 'http-error', detail: `HTTP ${response.statusCode}` }),
          );
        },
      );
      request.on('timeout', () => request.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
      request.on('error', (error: NodeJS.ErrnoException) => reject({ outcome: outcomeOf(error), detail: error.code ?? error.message }));
    });
  }
}
