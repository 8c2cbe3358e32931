// Which gateway generation a new connection goes to, and holding connections while there is none.
// A connection is held (queued, in arrival order) while there is no target, while the supervisor
// said hold() (a switch or an in-process restart is under way), or while the target refuses
// connects (its in-process restart closed the port: the first refusal turns it "down", and the
// oldest held connection retries with a short backoff until the port answers, then all follow).
// Held connections are bounded in time (`holdTimeoutMs` from accept); the caller bounds their count.
import type net from 'node:net';
import { connectUpstream } from './upstream';

export interface Waiter {
  /** Accept order. */
  readonly seq: number;
  readonly acceptedAt: number;
  /** Connected to the gateway on `port`; the waiter now owns the socket. */
  connected(upstream: net.Socket, port: number): void;
  /** Held longer than the hold bound. */
  expired(): void;
}

export interface DispatcherOptions {
  holdTimeoutMs: number;
  /** A connect to loopback that takes longer means a listener whose backlog is full (hung gateway). */
  connectTimeoutMs: number;
  log: (level: 'info' | 'warn', message: string) => void;
}

/** Delay before retry number `attempt` (1-based) of a refused upstream connect: 5, 10, 20, 40, then 50 ms. */
export function upstreamRetryDelay(attempt: number): number {
  return Math.min(50, 5 * 2 ** Math.min(Math.max(attempt, 1) - 1, 10));
}

export class Dispatcher {
  private target?: number;
  private holding = false;
  /** Since when the target refuses connects (undefined: not known to be down). */
  private downSince?: number;
  private retryAttempt = 0;
  private retryTimer?: NodeJS.Timeout;
  private expiryTimer?: NodeJS.Timeout;
  /** Held connections not being connected right now, in arrival order. */
  private readonly queue: Waiter[] = [];
  private readonly connecting = new Map<Waiter, { socket: net.Socket; port: number }>();
  /** Every held connection (queued, or retrying a connect) and when its hold began. */
  private readonly heldSince = new Map<Waiter, number>();
  /** Connections held at least once (a replayed one is not counted twice). */
  private readonly everHeld = new WeakSet<Waiter>();
  private closed = false;
  heldTotal = 0;
  expiredTotal = 0;
  longestHoldMs = 0;

  constructor(private readonly options: DispatcherOptions) {}

  get internalPort(): number | undefined {
    return this.target;
  }

  get held(): number {
    return this.heldSince.size;
  }

  /** New connections go to `port` from now on; held ones are released to it in arrival order. */
  setTarget(port: number): void {
    this.target = port;
    this.holding = false;
    this.downSince = undefined;
    this.retryAttempt = 0;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.release();
  }

  /** Connects to `port` under way. */
  connectsTo(port: number): number {
    let count = 0;
    for (const attempt of this.connecting.values()) if (attempt.port === port) count += 1;
    return count;
  }

  /** Hold new connections until the next setTarget(); piped ones stay where they are. */
  hold(): void {
    this.holding = true;
  }

  /** A connection ready for the gateway. */
  admit(waiter: Waiter): void {
    if (this.closed) return waiter.expired();
    if (this.canConnect() && this.queue.length === 0) return this.connect(waiter);
    this.enqueue(waiter);
    this.probeLater();
  }

  /** The client left: forget it (and drop its gateway socket if one is being opened). */
  remove(waiter: Waiter): void {
    const index = this.queue.indexOf(waiter);
    if (index >= 0) this.queue.splice(index, 1);
    this.connecting.get(waiter)?.socket.destroy();
    this.connecting.delete(waiter);
    this.endHold(waiter);
    this.scheduleExpiry();
  }

  /** Stops everything: timers cleared, connects under way dropped (the caller closes the clients). */
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.expiryTimer);
    this.queue.splice(0);
    for (const { socket } of this.connecting.values()) socket.destroy();
    this.connecting.clear();
    this.heldSince.clear();
  }

  private canConnect(): boolean {
    return !this.closed && this.target !== undefined && !this.holding && this.downSince === undefined;
  }

  private enqueue(waiter: Waiter): void {
    if (!this.heldSince.has(waiter)) {
      this.heldSince.set(waiter, Date.now());
      if (!this.everHeld.has(waiter)) this.heldTotal += 1;
      this.everHeld.add(waiter);
    }
    // Arrival order: a connection whose connect failed goes back before later arrivals.
    let at = this.queue.length;
    while (at > 0 && this.queue[at - 1]!.seq > waiter.seq) at -= 1;
    this.queue.splice(at, 0, waiter);
    this.scheduleExpiry();
  }

  /** The hold is over; `reached` when the connection got its gateway (only those count for longestHoldMs). */
  private endHold(waiter: Waiter, reached = false): void {
    const since = this.heldSince.get(waiter);
    if (since === undefined) return;
    this.heldSince.delete(waiter);
    if (reached) this.longestHoldMs = Math.max(this.longestHoldMs, Date.now() - since);
  }

  private release(): void {
    if (!this.canConnect()) return;
    for (const waiter of this.queue.splice(0)) this.connect(waiter);
    this.scheduleExpiry();
  }

  private connect(waiter: Waiter): void {
    const port = this.target!;
    const { socket, connected } = connectUpstream(port, this.options.connectTimeoutMs);
    this.connecting.set(waiter, { socket, port });
    connected.then(
      () => {
        if (this.connecting.get(waiter)?.socket !== socket) return; // removed meanwhile; socket destroyed
        this.connecting.delete(waiter);
        this.endHold(waiter, true);
        if (this.downSince !== undefined && port === this.target) this.up(port);
        waiter.connected(socket, port);
      },
      (error: NodeJS.ErrnoException) => {
        if (this.connecting.get(waiter)?.socket !== socket) return;
        this.connecting.delete(waiter);
        if (port === this.target && this.downSince === undefined) {
          this.downSince = Date.now();
          this.options.log(
            'warn',
            `gateway port ${port} refused a connect (${error.code ?? error.message}); holding new connections until it answers`,
          );
        }
        if (Date.now() - waiter.acceptedAt >= this.options.holdTimeoutMs) {
          this.endHold(waiter);
          this.expiredTotal += 1;
          waiter.expired();
        } else this.enqueue(waiter);
        this.release();
        this.probeLater();
      },
    );
  }

  private up(port: number): void {
    this.options.log('info', `gateway port ${port} answers again after ${Date.now() - this.downSince!} ms`);
    this.downSince = undefined;
    this.retryAttempt = 0;
    this.release();
  }

  /** While the target is down, the oldest held connection probes it after a short backoff; its success releases the rest. */
  private probeLater(): void {
    if (this.closed || this.downSince === undefined || this.holding || this.target === undefined || this.retryTimer) return;
    if (this.queue.length === 0 || [...this.connecting.values()].some(({ port }) => port === this.target)) return;
    this.retryAttempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.closed || this.holding || this.target === undefined || this.downSince === undefined) return;
      const oldest = this.queue.shift();
      if (!oldest) return;
      this.scheduleExpiry();
      this.connect(oldest);
    }, upstreamRetryDelay(this.retryAttempt));
  }

  private scheduleExpiry(): void {
    clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    const oldest = this.queue[0];
    if (!oldest || this.closed) return;
    const delay = Math.max(0, oldest.acceptedAt + this.options.holdTimeoutMs - Date.now());
    this.expiryTimer = setTimeout(() => {
      this.expiryTimer = undefined;
      const now = Date.now();
      while (this.queue.length > 0 && now - this.queue[0]!.acceptedAt >= this.options.holdTimeoutMs) {
        const waiter = this.queue.shift()!;
        this.endHold(waiter);
        this.expiredTotal += 1;
        waiter.expired();
      }
      this.scheduleExpiry();
    }, delay);
  }
}
