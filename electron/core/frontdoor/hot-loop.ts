// Keeps the door's event loop polling for a short window after dense traffic (see policy/busy-poll).
// One loop for the whole door, so the cost is bounded by one core however many connections there
// are: it polls only while some connection carries small chunks at least every `windowMs`, and
// stops at most `windowMs` after the last one. Polling is a chain of setImmediate callbacks: while
// one is pending, libuv polls I/O without blocking, and every other callback still runs in its turn.
//
// Why (measured on this 2-vCPU nested VM, `npm run bench`): a 32-byte WebSocket echo takes ~30 µs
// between two processes the scheduler keeps on one vCPU, ~90–140 µs across vCPUs — waking a thread
// on a halted vCPU costs ~50 µs here (the guest's halt-polling is off; switched on for a test, the
// cross-vCPU echo drops to ~30 µs). Through the door a message crosses a third process twice, and a
// door that sleeps between chunks pays that wake-up on each: ~170 µs. Polling: ~75 µs, for ~30 %
// more CPU per round trip. What is left is the relaying itself, epoll + read + write per crossing,
// ~20 µs at this VM's syscall prices; even a C relay (two threads, blocking read/write) measured
// ~1.5× direct once wake-ups were cheap. Real gateway requests dilute it (`health` RPC ~1.0–1.2×).
import { keepsPolling, SMALL_CHUNK_BYTES } from '../policy/busy-poll';

export interface HotLoop {
  /** A tracker for one connection: call it with the size of every chunk the connection carries. */
  track(): (bytes: number) => void;
  /** Total time spent polling, ms (what busy-polling has cost so far). */
  pollingMs(): number;
  /** Stops polling now (the door is closing). */
  stop(): void;
}

export function createHotLoop(windowMs: number): HotLoop {
  let until = 0;
  let startedAt: number | undefined;
  let totalMs = 0;
  const poll = () => {
    const now = performance.now();
    if (now < until) return void setImmediate(poll);
    totalMs += now - startedAt!;
    startedAt = undefined;
  };
  return {
    track() {
      let previousSmallChunkAt: number | undefined;
      return (bytes) => {
        const now = performance.now();
        if (keepsPolling(previousSmallChunkAt, now, bytes, windowMs)) {
          until = Math.max(until, now + windowMs);
          if (startedAt === undefined) {
            startedAt = now;
            setImmediate(poll);
          }
        }
        previousSmallChunkAt = bytes <= SMALL_CHUNK_BYTES ? now : undefined;
      };
    },
    pollingMs: () => totalMs + (startedAt === undefined ? 0 : performance.now() - startedAt),
    stop() {
      until = 0;
    },
  };
}
