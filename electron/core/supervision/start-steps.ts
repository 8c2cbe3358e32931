// The steps of one start that touch the gateway: find its program, spawn it (output throttled and
// redacted into the log tail, pid recorded until its exit), wait until it is ready, and connect
// the control channel.
import { ConnectError, type ControlConnection } from '../connection/types';
import { gatewayError, StartFailure } from '../errors';
import { connectCredential } from '../gateway/credential';
import type { GatewayProgram } from '../gateway/programs';
import { GatewayNotFoundError } from '../gateway/resolve';
import type { ExitEvent } from '../launcher/types';
import { createOutputThrottle } from '../output-throttle';
import { addPidRecord, removePidRecord } from '../pidfile';
import { processIdentity } from '../process/tree';
import { ReadinessTimeoutError, waitForReady } from '../readiness';
import type { GatewayError } from '../status';
import type { SupervisionContext } from './context';
import { isGone, markExited, markRetiring, newGeneration, type Generation } from './generation';

/** Gateway output lines kept (logged, shown, tailed) per second; the rest are counted. */
const GATEWAY_LINES_PER_SECOND = 2_000;

export class StartSteps {
  constructor(
    private readonly context: SupervisionContext,
    /** Called after the exit is recorded (pid record, log, lastExit). */
    private readonly onExit: (generation: Generation, exit: ExitEvent, at: number) => void,
  ) {}

  /** The gateway program for this start; none found (or no usable Node, credential) is an error the user must act on. */
  program(): GatewayProgram {
    try {
      return this.context.options.program();
    } catch (error) {
      const code = error instanceof GatewayNotFoundError ? error.code : 'GATEWAY_NOT_FOUND';
      throw new StartFailure(gatewayError(code, (error as Error).message));
    }
  }

  spawn(program: GatewayProgram, port: number): Generation {
    const { options, model, log, redact } = this.context;
    const spec = program.launch(port, this.context.gatewayEnv(program));
    const child = options.launcher.launch(spec);
    const generation = newGeneration(program, port, child);
    // What it runs with, so a restart can tell whether an in-process one would miss a change.
    generation.spec = spec;
    child.onSpawn((pid) => {
      if (this.context.current() === generation) model.update({ pid, attached: false, external: undefined });
      void processIdentity(pid).then((identity) => {
        if (identity && !isGone(generation)) addPidRecord(options.dataDir, { pid, port, startedAt: Date.now(), identity });
      });
    });
    const throttle = createOutputThrottle(GATEWAY_LINES_PER_SECOND);
    child.onLine((stream, text) => {
      const now = Date.now();
      if (!throttle.admit(now)) return;
      const dropped = throttle.takeDropped();
      if (dropped > 0) log('warn', `the gateway wrote more than ${GATEWAY_LINES_PER_SECOND} lines/s: ${dropped} lines were not kept`);
      model.addLog({ at: now, source: stream, level: stream === 'stderr' ? 'warn' : 'info', text: redact(text) });
    });
    child.onError((error) => log('error', `gateway process error: ${error.message}`));
    child.onExit((exit) => {
      markExited(generation);
      const at = Date.now();
      if (child.pid) removePidRecord(options.dataDir, child.pid);
      log(generation.status === 'retired' ? 'info' : 'warn', `gateway exited (code ${exit.code}, signal ${exit.signal})`);
      model.update({ lastExit: { code: exit.code, signal: exit.signal, at } });
      this.onExit(generation, exit, at);
    });
    return generation;
  }

  /** Until the spawned gateway answers /readyz; one that never does is killed (START_TIMEOUT). */
  async untilReady(generation: Generation, epoch: number, enterPhase: () => void): Promise<void> {
    await new Promise<void>((resolve) => {
      generation.process?.onSpawn(() => resolve());
      generation.process?.onExit(() => resolve());
    });
    enterPhase();
    const { timeouts, isCurrent } = this.context;
    try {
      await waitForReady({
        port: generation.port,
        timeoutMs: timeouts.readyMs,
        intervalMs: timeouts.readyPollMs,
        abort: () => (isGone(generation) ? 'the gateway exited while starting' : isCurrent(epoch) ? undefined : 'superseded'),
      });
    } catch (error) {
      if (error instanceof ReadinessTimeoutError) {
        // A gateway that never gets ready is killed, so it cannot linger holding the port.
        markRetiring(generation);
        await generation.process?.kill().catch(() => undefined);
        throw new StartFailure(gatewayError('START_TIMEOUT', error.message));
      }
      throw error;
    }
  }

  /** Connects the control channel, waiting out a gateway that says it is still starting. */
  async connectWithRetry(generation: Generation, epoch: number): Promise<ControlConnection | undefined> {
    const { isCurrent, timeouts } = this.context;
    const deadline = Date.now() + timeouts.readyMs;
    for (;;) {
      try {
        const connection = await this.connectOnce(generation);
        if (isCurrent(epoch) && !isGone(generation)) return connection;
        await connection.close();
        return undefined;
      } catch (error) {
        if (!(error instanceof ConnectError)) throw error;
        const fatal = connectFailure(error);
        if (fatal) throw new StartFailure(fatal);
        if (isGone(generation) || !isCurrent(epoch)) return undefined;
        if (Date.now() > deadline) throw new StartFailure(gatewayError('START_TIMEOUT', `could not connect: ${error.message}`));
        await this.context.sleep(error.details.retryAfterMs ?? 250);
      }
    }
  }

  connectOnce(generation: Generation): Promise<ControlConnection> {
    const { options, timeouts, log } = this.context;
    return options.connect({
      port: generation.port,
      // The user's credential when their config has one; Pincer's token only for an unconfigured gateway.
      ...connectCredential(generation.program.credential, options.token),
      dataDir: options.dataDir,
      heartbeatMs: options.settings().heartbeatMs,
      handshakeTimeoutMs: timeouts.handshakeMs,
      clientVersion: options.clientVersion,
      log: (level, message) => log(level, `[connection] ${message}`),
    });
  }
}

/** The connect failures no retry fixes. */
export function connectFailure(error: ConnectError): GatewayError | undefined {
  switch (error.code) {
    case 'AUTH_FAILED':
      return gatewayError('AUTH_FAILED', error.message);
    case 'PAIRING_REQUIRED':
      return gatewayError('PAIRING_REQUIRED', error.message, { requestId: error.details.requestId });
    case 'PROTOCOL_MISMATCH':
      return gatewayError('PROTOCOL_MISMATCH', error.message);
    default:
      return undefined;
  }
}
