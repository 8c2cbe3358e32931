// Draining a child's stdout/stderr line by line, shared by the launchers. A full pipe would stall
// the child, so both streams are always read to their end.
import { createLineSplitter } from '../process/line-splitter';

/** After the exit, how long the last buffered output may take to arrive before onExit fires anyway. */
export const OUTPUT_DRAIN_MS = 1_000;

/** Reads a stream to its end, emitting whole lines; resolves when the stream has ended or closed. */
export function drainLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): Promise<void> {
  const splitter = createLineSplitter(onLine);
  return new Promise((resolve) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      splitter.end();
      resolve();
    };
    stream.on('data', (chunk: Buffer | string) => splitter.push(chunk));
    stream.on('error', finish); // a broken pipe just ends the stream; the exit tells the story
    stream.once('end', finish);
    stream.once('close', finish);
  });
}

/**
 * Waits for the output to be read to its end after an exit — bounded, since a process outside
 * the tree may still hold the pipes — then destroys the streams so nothing keeps them open.
 */
export async function settleOutput(
  outputClosed: Promise<unknown>,
  streams: ReadonlyArray<NodeJS.ReadableStream | null | undefined>,
  boundMs = OUTPUT_DRAIN_MS,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([outputClosed, new Promise((resolve) => (timer = setTimeout(resolve, boundMs)))]);
  clearTimeout(timer);
  for (const stream of streams) (stream as { destroy?: () => void } | null | undefined)?.destroy?.();
  await outputClosed;
}
