// A restart storm as the outside world makes one: `requests` POST /api/restart against the real
// headless twin, each on its own connection, sent evenly over `spreadMs` (like 200 curl processes
// started at once, which arrive over about two seconds).
import type { Reply, Twin } from './twin';

export async function apiRestartStorm(twin: Twin, { requests, spreadMs }: { requests: number; spreadMs: number }): Promise<Reply[]> {
  const started = Date.now();
  const replies: Array<Promise<Reply>> = [];
  for (let i = 0; i < requests; i++) {
    const due = started + (i * spreadMs) / requests;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    replies.push(twin.request('POST', '/api/restart'));
  }
  return Promise.all(replies);
}
