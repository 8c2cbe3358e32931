// Reclaims Pincer's own gateway left over from a previous run (e.g. after Pincer was killed): the
// launchers' stop sequence (graceful request → grace → tree kill → confirmed exit) over a pid
// this run did not spawn.
import { setTimeout as sleep } from 'node:timers/promises';
import { createStopSequence } from '../launcher/stop-sequence';
import { isAlive, killTree } from '../process/tree';

/** Resolves once `pid` is gone; rejects when it is still alive after the kill and `reclaimMs`. */
export async function reclaimOrphan(pid: number, reclaimMs: number): Promise<void> {
  let exited = false;
  const exit = (async () => {
    while (!exited && isAlive(pid)) await sleep(25);
    exited = true;
    return { code: null, signal: null };
  })();
  const sequence = createStopSequence({
    exit,
    hasExited: () => exited,
    requestExit: () => killTree(pid, 'SIGTERM').catch(() => undefined),
    killTree: () => killTree(pid, 'SIGKILL').catch(() => undefined),
    describe: () => `orphaned gateway pid ${pid}`,
  });
  try {
    await sequence.stop({ graceMs: reclaimMs, confirmMs: reclaimMs });
  } finally {
    exited = true; // ends the poll when the pid would not go
  }
}
