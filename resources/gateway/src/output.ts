// Everything the gateway prints goes through here: one prefixed line per event, never a secret.

export function logLine(line: string): void {
  process.stdout.write(`[gateway] ${line}\n`);
}

export function logError(line: string): void {
  process.stderr.write(`[gateway] ${line}\n`);
}

/** A parent that closed our pipes must not turn every later log line into an uncaught EPIPE. */
export function ignoreBrokenPipes(): void {
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
}

const FLOOD_TICK_MS = 10;

/** Writes about `bytesPerSec` bytes of log lines to stdout (blocking when the reader does not drain). */
export function startStdoutFlood(bytesPerSec: number): void {
  const line = `[gateway] flood ${'x'.repeat(80)}\n`;
  let credit = 0;
  setInterval(() => {
    credit += (bytesPerSec * FLOOD_TICK_MS) / 1000;
    if (credit < line.length) return;
    const lines = Math.floor(credit / line.length);
    credit -= lines * line.length;
    process.stdout.write(line.repeat(lines));
  }, FLOOD_TICK_MS);
}
