// `npm run chaos -- --faults N --seed S [--gateway reference|openclaw] [--json-only]`
// The chaos soak: random faults against the headless twin while a client hammers the gateway port;
// one JSON summary line on stdout, progress on stderr, exit code 1 when any invariant broke.
import { Cleanup } from './chaos/cleanup';
import { parseChaosArgs, USAGE, UsageError, type ChaosOptions } from './chaos/options';
import { runChaos } from './chaos/run';

function parse(): ChaosOptions {
  try {
    return parseChaosArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`chaos: ${error.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const options = parse();
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const cleanup = new Cleanup();
  process.on('exit', () => cleanup.runLastResort());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`chaos: ${signal}: stopping everything this run started…\n`);
      void cleanup.run().finally(() => process.exit(130));
    });
  }
  try {
    const summary = await runChaos(options, { progress: (line) => options.jsonOnly || process.stderr.write(`${line}\n`) }, cleanup);
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    process.exitCode = summary.violations.length > 0 ? 1 : 0;
  } catch (error) {
    process.stderr.write(`chaos: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  } finally {
    await cleanup.run();
  }
}

void main();
