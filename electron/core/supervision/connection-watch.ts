// The control connection of the running generation: adopting a fresh one (hello facts into the
// status), and what its loss means — a hung gateway (killed; its exit restarts it), a gateway
// restarting in-process (it said when it is back), or a drop (reconnect with backoff).
import type { ConnectionLoss, ControlConnection } from '../connection/types';
import { ConnectError } from '../connection/types';
import { attemptsAfterRun, backoffDelay } from '../policy/backoff';
import { backoffPolicy } from '../policy/restart-policy';
import { probePort } from '../port/probe';
import type { SupervisionContext } from './context';
import { isGone, isRetiring, type Generation } from './generation';
import { connectFailure, type StartSteps } from './start-steps';

/** The moves only the connection watch makes. */
export interface ConnectionWatchMoves {
  enterReconnecting: () => void;
  enterRunning: () => void;
  /** The gateway we attached to is gone: start our own. */
  attachedGone: () => void;
}

export class ConnectionWatch {
  constructor(
    private readonly host: SupervisionContext,
    private readonly steps: StartSteps,
    private readonly moves: ConnectionWatchMoves,
  ) {}

  /** Makes a fresh connection the generation's, watching it for loss. */
  adopt(generation: Generation, connection: ControlConnection, reconnected: boolean): void {
    const { model } = this.host;
    const previousBootId = model.current.gateway.bootId;
    generation.connection = connection;
    generation.connectedAt = Date.now();
    const { hello } = connection;
    // Same generation, new bootId: the gateway restarted in-process (SIGUSR2, config reload).
    const restartedInProcess = reconnected && previousBootId !== undefined && previousBootId !== hello.bootId;
    model.update({
      gateway: {
        ...model.current.gateway,
        version: hello.serverVersion || model.current.gateway.version,
        bootId: hello.bootId,
        maxPayload: hello.maxPayload,
        tickIntervalMs: hello.tickIntervalMs,
      },
      bootIdChanges: model.current.bootIdChanges + (restartedInProcess ? 1 : 0),
    });
    connection.onLost((loss) => this.onLost(generation, loss));
  }

  private onLost(generation: Generation, loss: ConnectionLoss): void {
    const { host } = this;
    if (host.current() !== generation || isRetiring(generation)) return;
    generation.connection = undefined;
    if (isGone(generation)) return; // the exit handler decides
    if (loss.hung && generation.process) {
      host.log('warn', `gateway pid ${generation.process.pid} stopped answering (no pong); killing it`);
      host.enterRestarting();
      void generation.process.kill().catch((error: Error) => host.log('error', error.message));
      return; // its exit arrives as an unexpected exit → immediate restart
    }
    const expected = loss.shutdown?.restartExpectedMs;
    host.log(
      'warn',
      `control connection lost (${loss.code} ${loss.reason || ''})${expected !== undefined ? `; gateway restarting in ~${expected} ms` : ''}`,
    );
    if (expected !== undefined) host.enterRestarting();
    else this.moves.enterReconnecting();
    // A connection lost again soon after it was made is a flap: back off as after a crash loop.
    const policy = backoffPolicy(host.options.settings().restartPolicy);
    generation.lossStreak = attemptsAfterRun(generation.lossStreak, Date.now() - (generation.connectedAt ?? 0), policy) + 1;
    void this.reconnect(generation, host.epoch(), expected);
  }

  private async reconnect(generation: Generation, epoch: number, restartExpectedMs: number | undefined): Promise<void> {
    const { host } = this;
    const policy = backoffPolicy(host.options.settings().restartPolicy);
    const stale = () => !host.isCurrent(epoch) || host.current() !== generation;
    for (let attempt = generation.lossStreak; ; attempt++) {
      host.model.update({ reconnectAttempts: host.model.current.reconnectAttempts + 1 });
      const backoff = backoffDelay(attempt, policy, host.random());
      // The gateway said when it expects to be back: no point trying before.
      const delay = attempt === generation.lossStreak && restartExpectedMs !== undefined ? Math.max(restartExpectedMs, backoff) : backoff;
      try {
        await host.sleep(delay);
      } catch {
        return; // superseded
      }
      if (stale() || isGone(generation)) return;
      // An attached gateway restarting by its own means is coming back: not gone.
      const selfRestarting = (generation.selfRestartUntil ?? 0) > Date.now();
      if (!generation.process && !selfRestarting && !(await probePort(generation.port, { timeoutMs: 500 })).listening)
        return this.moves.attachedGone();
      try {
        const connection = await this.steps.connectOnce(generation);
        if (stale()) {
          await connection.close();
          return;
        }
        this.adopt(generation, connection, true);
        host.model.update({ reconnectAttempts: 0 });
        this.moves.enterRunning();
        return;
      } catch (error) {
        const fatal = error instanceof ConnectError ? connectFailure(error) : undefined;
        if (fatal && host.isCurrent(epoch)) return host.fail(fatal);
      }
    }
  }
}
