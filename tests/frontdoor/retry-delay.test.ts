import { expect, it } from 'vitest';
import { upstreamRetryDelay } from '../../electron/core/frontdoor/dispatcher';
import { httpReply } from '../../electron/core/frontdoor/end-client';

it.each([
  // A gateway restarting in-process is back within 0.3–2.3 s: retry fast, then every 50 ms at most.
  [0, 5],
  [1, 5],
  [2, 10],
  [3, 20],
  [4, 40],
  [5, 50],
  [6, 50],
  [1_000, 50],
])('retry %i of a refused upstream connect waits %i ms', (attempt, delay) => {
  expect(upstreamRetryDelay(attempt)).toBe(delay);
});

it('canned replies are complete HTTP/1.1 responses that close the connection', () => {
  const reply = httpReply(503);
  const [head, body] = reply.split('\r\n\r\n');
  expect(head!.split('\r\n')).toEqual([
    'HTTP/1.1 503 Service Unavailable',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body!)}`,
    'Retry-After: 1',
    'Connection: close',
  ]);
  expect(httpReply(403)).toMatch(
    /^HTTP\/1\.1 403 Forbidden\r\n[\s\S]*\r\n\r\nForbidden: this origin may not reach the gateway \(Pincer front door\)\.\n$/,
  );
});
