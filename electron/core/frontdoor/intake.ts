// The first moments of an accepted connection, before it has a gateway socket: read (bounded), scan
// the first request head for its Origin, and keep what arrived until the splice takes over. Reading
// continues while the connection is held, so a client that gives up is noticed; past `maxBufferedBytes`
// reading pauses and TCP flow control holds the client back.
import type net from 'node:net';
import type { ReplyStatus } from './end-client';
import type { RequestScanner, ScanVerdict } from './request-scanner';

export type IntakeDecision =
  /** The first request is allowed, or the stream is not HTTP: connect it to the gateway. */
  | { kind: 'pass' }
  /** Answer with this status and close (403 for a refused Origin). */
  | { kind: 'refuse'; status: ReplyStatus; verdict?: ScanVerdict }
  /** The client closed or failed before a decision. */
  | { kind: 'gone' };

export interface IntakeOptions {
  /** How long the first request head may take; a client silent for that long is passed as-is. */
  peekTimeoutMs: number;
  /** Client bytes kept while waiting for the gateway before reading pauses. */
  maxBufferedBytes: number;
}

/** What the splice continues with. */
export interface IntakeHandover {
  pending: Buffer[];
  ended: boolean;
  scanner: RequestScanner | undefined;
  /** A later pipelined request was refused while held: pass `pending`, then end the gateway side. */
  refusedAfterPass: boolean;
}

export class Intake {
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  private ended = false;
  private refusedAfterPass = false;
  private decision?: IntakeDecision;
  private readonly timer: NodeJS.Timeout;
  private readonly onData = (chunk: Buffer) => this.read(chunk);
  private readonly onEnd = () => this.clientEnded();
  private readonly onGone = () => this.gone();

  constructor(
    readonly client: net.Socket,
    private readonly scanner: RequestScanner,
    private readonly options: IntakeOptions,
    private readonly decide: (decision: IntakeDecision) => void,
    /** The client left after a 'pass' decision, while still waiting for the gateway. */
    private readonly left: () => void,
  ) {
    this.timer = setTimeout(() => this.peekTimedOut(), options.peekTimeoutMs);
    client.on('data', this.onData);
    client.on('end', this.onEnd);
    client.on('error', this.onGone);
    client.on('close', this.onGone);
  }

  /** True when the first request started as HTTP (so a deliberate close can answer in HTTP). */
  get speaksHttp(): boolean {
    return this.scanner.startedAsHttp;
  }

  /** Everything passed so far is one request that is safe to send to the gateway again. */
  get replayable(): boolean {
    return this.scanner.replayable && !this.refusedAfterPass;
  }

  /** Takes the bytes received so far (to send them while reading continues). */
  takePending(): Buffer[] {
    const taken = this.pending.splice(0);
    this.pendingBytes = 0;
    return taken;
  }

  /** Puts bytes back in front (their gateway closed before answering; they go to the next one). */
  restorePending(bytes: readonly Buffer[]): void {
    this.pending.unshift(...bytes);
    this.pendingBytes += bytes.reduce((sum, chunk) => sum + chunk.length, 0);
  }

  /** Stops reading and hands the connection over; no listener or timer of the intake stays. */
  handover(): IntakeHandover {
    this.detach();
    this.client.pause();
    return {
      pending: this.pending,
      ended: this.ended,
      scanner: this.scanner.opaque ? undefined : this.scanner,
      refusedAfterPass: this.refusedAfterPass,
    };
  }

  /** Detaches without handing over (the caller closes the client itself). */
  detach(): void {
    clearTimeout(this.timer);
    this.client.off('data', this.onData);
    this.client.off('end', this.onEnd);
    this.client.off('error', this.onGone);
    this.client.off('close', this.onGone);
  }

  private read(chunk: Buffer): void {
    if (this.refusedAfterPass) return;
    const { forward, verdict } = this.scanner.push(chunk);
    for (const bytes of forward) {
      this.pending.push(bytes);
      this.pendingBytes += bytes.length;
    }
    if (verdict) {
      if (!this.decision) return this.settle({ kind: 'refuse', status: verdict.kind === 'refused' ? 403 : verdict.status, verdict });
      this.refusedAfterPass = true;
    }
    if (!this.decision && this.scanner.decided) this.settle({ kind: 'pass' });
    if (this.pendingBytes >= this.options.maxBufferedBytes) this.client.pause();
  }

  private clientEnded(): void {
    this.ended = true;
    // A client that closes its side before finishing a first request head has nothing to send.
    if (!this.decision) this.settle({ kind: 'gone' });
  }

  private gone(): void {
    if (!this.decision) return this.settle({ kind: 'gone' });
    if (this.decision.kind === 'pass') {
      this.detach();
      this.left();
    }
  }

  private peekTimedOut(): void {
    if (this.decision) return;
    // Not a word yet: maybe a protocol where the server speaks first. Pass it on as-is.
    if (this.scanner.silent) {
      this.scanner.passOpaque();
      return this.settle({ kind: 'pass' });
    }
    this.settle({ kind: 'refuse', status: 408 });
  }

  private settle(decision: IntakeDecision): void {
    this.decision = decision;
    clearTimeout(this.timer);
    if (decision.kind !== 'pass') this.detach();
    this.decide(decision);
  }
}
