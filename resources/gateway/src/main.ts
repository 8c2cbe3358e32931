// Pincer's reference gateway: a small Node program (Node 20+, only dependency `ws`) speaking the subset of
// the OpenClaw gateway protocol (v4) that Pincer supervises. Bundled by esbuild to
// dist/gateway/reference-gateway.cjs. It is the default gateway when no OpenClaw install is configured,
// and the peer of Pincer's tests.
//
// Usage:
//   reference-gateway.cjs [gateway] --port N [--bind loopback|lan]     serve (default port 18789, loopback)
//   reference-gateway.cjs doctor [--fix] [--yes] [--non-interactive]  check config; --fix repairs what it can
//
// Environment:
//   OPENCLAW_GATEWAY_TOKEN   the shared token (required; never accepted in argv).
//   PINCER_REFGW_CONFIG      optional config file path; it must hold a JSON object.
// Exit codes: 0 after SIGTERM/SIGINT; 78 (EX_CONFIG) for a missing token, an unusable config file, or a
// non-loopback bind without auth; 2 for a bad command line or fault variable; 1 if the port is taken.
// `doctor --fix` rewrites an unusable config file to `{}` and exits 0; it cannot invent a token (exit 1).
//
// Signals: SIGTERM/SIGINT → `shutdown` event {reason} to every client, close 1012, listener closed, exit 0
// (clients that do not finish the close within 1 s are destroyed). SIGUSR2 → in-process restart: `shutdown`
// {reason:"restart", restartExpectedMs}, close 1012, port closed for the restart gap, new bootId, listen again.
//
// Output lines (stdout): "[gateway] pincer reference gateway <version> (pid P, node vX)",
// "[gateway] listening on 127.0.0.1:P (bootId B)", "[gateway] ready", "[gateway] worker pid W",
// "[gateway] stopped". Errors go to stderr ("config invalid: …").
//
// Fault injection and tuning (environment):
//   PINCER_REFGW_EXIT_CODE=X              exit with code X right away (e.g. 78), before anything else.
//   PINCER_REFGW_CRASH_AFTER_MS=N         throw an uncaught error N ms after start (exit 1, sockets dropped).
//   PINCER_REFGW_HANG_AFTER_MS=N          after N ms stop answering everything — frames, pings, HTTP, new
//                                         upgrades, and SIGTERM/SIGINT/SIGUSR2 — but keep every socket open,
//                                         like a deadlocked gateway (only SIGKILL ends it).
//   PINCER_REFGW_LISTEN_DELAY_MS=N        wait N ms before listening (OpenClaw takes 5–7 s).
//   PINCER_REFGW_START_DELAY_MS=N         slow start: listen at once, but /readyz is 503 and `connect` gets
//                                         UNAVAILABLE (retryAfterMs 500, reason startup-sidecars) then close
//                                         1013 for N ms after each (re)start.
//   PINCER_REFGW_REFUSE_HANDSHAKE=token|protocol|pairing
//                                         refuse every connect with AUTH_TOKEN_MISMATCH (1008),
//                                         PROTOCOL_MISMATCH (1002) or PAIRING_REQUIRED + details.requestId (1008).
//   PINCER_REFGW_NEVER_CLOSE_CLIENTS=1    leak: never end or destroy client sockets, so closed clients pile up
//                                         in CLOSE_WAIT on the gateway's side (the seed-001 failure).
//   PINCER_REFGW_SPAWN_WORKER=1           spawn a worker child process (it survives a SIGKILL of the gateway).
//   PINCER_REFGW_MALFORMED=1              after hello-ok send a non-JSON frame, an unknown frame type, a
//                                         non-object, a response to an unknown id, and a frame larger than
//                                         the announced maxPayload.
//   PINCER_REFGW_FLOOD_STDOUT=B           write about B bytes/s of log lines to stdout.
//   PINCER_REFGW_RESTART_GAP_MS=N         how long a SIGUSR2 restart keeps the port closed (default 300).
//   PINCER_REFGW_MAX_PAYLOAD=B            largest accepted client frame, announced in hello-ok (default 25 MiB).
//   PINCER_REFGW_TICK_MS=N                interval of `tick` events (default 15000).
//   PINCER_REFGW_HANDSHAKE_TIMEOUT_MS=N   close 1000 if no frame arrives after the challenge (default 15000).
import type { ChildProcess } from 'node:child_process';
import { parseCommandLine } from './cli';
import { EXIT_CONFIG_INVALID, readGatewayConfig } from './config';
import { runDoctor } from './doctor';
import { readFaults } from './faults';
import { ReferenceGateway } from './gateway';
import { ignoreBrokenPipes, logError, logLine, startStdoutFlood } from './output';
import { REFERENCE_GATEWAY_VERSION } from './version';
import { spawnWorker, stopWorker } from './worker';

const EXIT_USAGE = 2;
/** Safety net: a graceful stop that has not finished by then exits anyway, with a non-zero code. */
const SHUTDOWN_DEADLINE_MS = 5000;

function fail(code: number, message: string): never {
  logError(message);
  process.exit(code);
}

async function main(): Promise<void> {
  ignoreBrokenPipes();
  const parsed = parseCommandLine(process.argv.slice(2));
  if (!parsed.ok) fail(EXIT_USAGE, `usage error: ${parsed.message}`);
  const command = parsed.command;
  if (command.kind === 'doctor') process.exit(runDoctor(process.env, command.fix));

  const read = readFaults(process.env);
  if (!read.ok) fail(EXIT_USAGE, `usage error: ${read.message}`);
  const { faults, tuning } = read;
  if (faults.exitCode !== undefined) fail(faults.exitCode, `exiting with injected code ${faults.exitCode}`);

  const config = readGatewayConfig(process.env, command.bind);
  if (!config.ok) fail(EXIT_CONFIG_INVALID, `config invalid: ${config.message}`);

  logLine(`pincer reference gateway ${REFERENCE_GATEWAY_VERSION} (pid ${process.pid}, node ${process.version})`);
  const gateway = new ReferenceGateway({
    port: command.port,
    host: command.bind === 'loopback' ? '127.0.0.1' : '0.0.0.0',
    token: config.config.token,
    version: REFERENCE_GATEWAY_VERSION,
    faults,
    tuning,
  });

  let worker: ChildProcess | undefined;
  if (faults.spawnWorker) {
    worker = spawnWorker();
    worker.on('error', (error) => logError(`worker: ${error.message}`));
    logLine(`worker pid ${worker.pid}`);
  }
  if (faults.crashAfterMs !== undefined) {
    setTimeout(() => {
      throw new Error('injected crash (PINCER_REFGW_CRASH_AFTER_MS)');
    }, faults.crashAfterMs);
  }
  if (faults.hangAfterMs !== undefined) {
    setTimeout(() => {
      gateway.hang();
      logError('injected hang: no longer answering (PINCER_REFGW_HANG_AFTER_MS)');
    }, faults.hangAfterMs);
  }
  if (faults.floodStdoutBytesPerSec !== undefined) startStdoutFlood(faults.floodStdoutBytesPerSec);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (gateway.isHung) return logError(`hung: ignoring ${signal}`);
    if (stopping) return;
    stopping = true;
    logLine(`shutting down (${signal})`);
    setTimeout(() => fail(1, `shutdown did not finish within ${SHUTDOWN_DEADLINE_MS} ms`), SHUTDOWN_DEADLINE_MS).unref();
    void gateway
      .shutdown(signal)
      .then(() => (worker ? stopWorker(worker) : undefined))
      .then(() => {
        logLine('stopped');
        process.exit(0);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGUSR2', () => {
    if (gateway.isHung) return logError('hung: ignoring SIGUSR2');
    if (stopping) return;
    gateway.restart().catch((error: Error) => fail(1, `restart failed: ${error.message}`));
  });

  if (faults.listenDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.listenDelayMs));
  if (stopping) return;
  await gateway
    .start()
    .catch((error: NodeJS.ErrnoException) => fail(1, `cannot listen on ${command.bind} port ${command.port}: ${error.code ?? error.message}`));
}

void main();
