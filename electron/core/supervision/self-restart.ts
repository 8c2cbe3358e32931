// A restart the gateway performs itself: OpenClaw's SIGUSR2 (same pid, new bootId), or
// `openclaw gateway restart` for a gateway its own service runs. The supervisor's connection watch
// sees the shutdown notice, reconnects and adopts the new bootId; this waits for exactly that,
// bounded, so the caller can fall back to a full restart when it does not come back in time.
import type { GatewayState } from '../status';

export interface SelfRestartHost {
  /** The bootId of the current control connection (from the status). */
  bootId(): string | undefined;
  state(): GatewayState;
  /** A sleep a newer epoch cancels (rejects). */
  sleep(ms: number): Promise<void>;
}

export type SelfRestartResult = { ok: true; ms: number } | { ok: false; reason: string };

const POLL_MS = 25;

/** Triggers the gateway's own restart and waits for it to answer with a new bootId. */
export async function selfRestart(host: SelfRestartHost, trigger: () => Promise<void> | void, timeoutMs: number): Promise<SelfRestartResult> {
  const before = host.bootId();
  const started = Date.now();
  try {
    await trigger();
  } catch (error) {
    return { ok: false, reason: `it could not be asked to restart (${(error as Error).message})` };
  }
  const deadline = started + timeoutMs;
  while (Date.now() < deadline) {
    const bootId = host.bootId();
    if (bootId !== undefined && bootId !== before && host.state() === 'running') return { ok: true, ms: Date.now() - started };
    await host.sleep(POLL_MS);
  }
  return { ok: false, reason: `it did not come back within ${Math.round(timeoutMs / 1000)} s` };
}

/** SIGUSR2 to a process: OpenClaw's in-process restart (never SIGUSR1: that opens Node's inspector). */
export function signalRestart(pid: number): void {
  process.kill(pid, 'SIGUSR2');
}
