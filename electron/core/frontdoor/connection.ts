// One accepted client's way through the front door: intake (first request inspected, bounded) →
// dispatcher (a gateway socket now, or held) → for a request safe to repeat, its first answer is
// awaited so a generation that closes without a word hands it to the next → splice.
import type net from 'node:net';
import type { Dispatcher, Waiter } from './dispatcher';
import { endClient, httpReply, type ReplyStatus } from './end-client';
import { firstResponse } from './first-response';
import { Intake, type IntakeDecision } from './intake';
import { MAX_HEAD_BYTES, RequestScanner, type RequestPolicy, type ScanVerdict } from './request-scanner';
import { splice, type Splice } from './splice';

/** A safe request is sent again at most this often when a generation closes without answering. */
const MAX_REPLAYS = 3;

/** What a connection needs from its front door. */
export interface DoorContext {
  dispatcher: Dispatcher;
  peekTimeoutMs: number;
  halfOpenTimeoutMs: number;
  policy: RequestPolicy;
  isClosing(): boolean;
  /** Every socket the door owns, so close() can wait for all of them. */
  track(socket: net.Socket): void;
  refused(verdict: Extract<ScanVerdict, { kind: 'refused' }>): void;
  log(level: 'debug', message: string): void;
  /** Connections without a gateway socket yet (inspected, held or connecting): bounded by maxHeld. */
  waiting: Set<DoorConnection>;
  /** Connections whose request was sent and whose gateway has not answered yet. */
  answering: Set<DoorConnection>;
  splices: Set<Splice>;
  piped(): void;
}

export class DoorConnection implements Waiter {
  readonly acceptedAt = Date.now();
  private readonly intake: Intake;
  private upstream?: net.Socket;
  /** The gateway port this connection's request went to, while its answer is awaited. */
  answeringPort?: number;
  private replays = 0;

  constructor(
    private readonly client: net.Socket,
    readonly seq: number,
    private readonly door: DoorContext,
  ) {
    const scanner = new RequestScanner(door.policy);
    this.intake = new Intake(
      client,
      scanner,
      { peekTimeoutMs: door.peekTimeoutMs, maxBufferedBytes: MAX_HEAD_BYTES },
      (decision) => this.decided(decision),
      () => this.left(),
    );
  }

  connected(socket: net.Socket, port: number): void {
    this.door.track(socket);
    this.door.waiting.delete(this);
    if (this.door.isClosing() || this.client.destroyed) return void socket.destroy();
    if (!this.intake.replayable || this.replays >= MAX_REPLAYS) return this.pipe(socket, []);
    // Send the request but keep a copy until the gateway answers: a generation that is being
    // stopped may close without a word, and then the request goes to the next one.
    this.upstream = socket;
    this.answeringPort = port;
    this.door.answering.add(this);
    const sent = this.intake.takePending();
    socket.cork();
    for (const bytes of sent) socket.write(bytes);
    socket.uncork();
    void firstResponse(socket).then((outcome) => {
      this.upstream = undefined;
      this.answeringPort = undefined;
      this.door.answering.delete(this);
      if (this.door.isClosing() || this.client.destroyed) return void socket.destroy();
      if (outcome.kind === 'answered') return this.pipe(socket, [outcome.chunk]);
      socket.destroy();
      this.replays += 1;
      this.intake.restorePending(sent);
      this.door.waiting.add(this);
      this.door.dispatcher.admit(this);
    });
  }

  expired(): void {
    this.shutdown();
  }

  /** Ends the client cleanly (503 if it spoke HTTP) and drops any gateway socket not yet piped. */
  shutdown(): void {
    this.upstream?.destroy();
    this.end(this.intake.speaksHttp ? 503 : undefined);
  }

  private decided(decision: IntakeDecision): void {
    switch (decision.kind) {
      case 'pass':
        return this.door.dispatcher.admit(this);
      case 'refuse':
        if (decision.verdict?.kind === 'refused') this.door.refused(decision.verdict);
        else
          this.door.log(
            'debug',
            `front door: closed a connection that sent ${decision.verdict?.kind === 'malformed' ? decision.verdict.reason : 'no complete request head in time'}`,
          );
        return this.end(decision.status);
      case 'gone':
        return this.end(undefined);
    }
  }

  /** The client went away after passing the intake, before it was piped. */
  private left(): void {
    this.door.waiting.delete(this);
    this.door.dispatcher.remove(this);
    this.upstream?.destroy();
    this.client.destroy();
  }

  private end(status: ReplyStatus | undefined): void {
    this.door.waiting.delete(this);
    this.intake.detach();
    void endClient(this.client, status === undefined ? undefined : httpReply(status), this.door.halfOpenTimeoutMs);
  }

  private pipe(socket: net.Socket, upstreamInitial: Buffer[]): void {
    const handover = this.intake.handover();
    const pair = splice(this.client, socket, {
      initial: handover.pending,
      upstreamInitial,
      clientEnded: handover.ended,
      scanner: handover.scanner,
      refusedBefore: handover.refusedAfterPass,
      halfOpenTimeoutMs: this.door.halfOpenTimeoutMs,
      onRefused: (verdict) => {
        if (verdict.kind === 'refused') this.door.refused(verdict);
      },
    });
    this.door.piped();
    this.door.splices.add(pair);
    void pair.closed.then(() => this.door.splices.delete(pair));
  }
}
