// Whether the front door keeps its event loop polling after a chunk instead of sleeping in epoll.
// Only while a connection carries small chunks densely — request/response traffic, where latency
// is what matters: this chunk and the connection's previous small chunk (either direction) came
// within the window of each other, so the next one most likely follows within it too, and a
// polling loop picks it up without the wake-up of a sleeping thread (on a VM whose idle vCPUs halt,
// that wake-up costs more than the relaying itself). Bulk transfers (big chunks) never poll — the
// loop is busy with them anyway, and a polling door would take CPU from the two ends — and a
// connection that goes quiet or answers slowly never does either.

/** Chunks up to this size count as request/response traffic. */
export const SMALL_CHUNK_BYTES = 4096;

/** Times in ms (performance.now()). `previousSmallChunkAt` is undefined after a big chunk or none. */
export function keepsPolling(previousSmallChunkAt: number | undefined, now: number, bytes: number, windowMs: number): boolean {
  return windowMs > 0 && bytes <= SMALL_CHUNK_BYTES && previousSmallChunkAt !== undefined && now - previousSmallChunkAt <= windowMs;
}
