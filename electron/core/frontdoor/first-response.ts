// Waits for the gateway's first bytes on a fresh connection. A gateway generation that is being
// stopped (blue/green) or restarting in-process can accept a connection and then close it without
// a word; when the request was safe to repeat, the front door then sends it to the next generation
// instead of failing the client (what HAProxy calls retry-on empty-response, nginx proxy_next_upstream).
import type net from 'node:net';

export type FirstResponse = { kind: 'answered'; chunk: Buffer } | { kind: 'closed' };

/** Resolves with the first chunk (the socket is left paused) or 'closed' if the socket ends or fails first. */
export function firstResponse(upstream: net.Socket): Promise<FirstResponse> {
  return new Promise((resolve) => {
    const settle = (outcome: FirstResponse) => {
      upstream.off('data', onData);
      upstream.off('end', onClosed);
      upstream.off('close', onClosed);
      upstream.off('error', onClosed);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      upstream.pause();
      settle({ kind: 'answered', chunk });
    };
    const onClosed = () => settle({ kind: 'closed' });
    upstream.on('data', onData);
    upstream.once('end', onClosed);
    upstream.once('close', onClosed);
    upstream.once('error', onClosed);
  });
}
