// Closing a client connection on purpose, cleanly: an optional short HTTP reply, then FIN — never a
// reset. Whatever the client still sends is read and dropped, because closing a socket with unread
// data makes the kernel send RST. A client that never closes its side is destroyed after `lingerMs`.
import type net from 'node:net';

export type ReplyStatus = 400 | 403 | 408 | 431 | 503;

const REASONS: Record<ReplyStatus, [string, string]> = {
  400: ['Bad Request', 'Bad request.'],
  403: ['Forbidden', 'Forbidden: this origin may not reach the gateway (Pincer front door).'],
  408: ['Request Timeout', 'The request head did not arrive in time.'],
  431: ['Request Header Fields Too Large', 'The request head is too large.'],
  503: ['Service Unavailable', 'The gateway is restarting; try again.'],
};

/** A complete HTTP/1.1 response that closes the connection. */
export function httpReply(status: ReplyStatus): string {
  const [reason, text] = REASONS[status];
  const body = `${text}\n`;
  const retry = status === 503 ? 'Retry-After: 1\r\n' : '';
  return (
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
    `${retry}Connection: close\r\n\r\n${body}`
  );
}

/** Ends `socket` after writing `reply` (if any); resolves when it is closed. */
export function endClient(socket: net.Socket, reply: string | undefined, lingerMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    const timer = setTimeout(() => socket.destroy(), lingerMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.on('error', () => socket.destroy());
    socket.on('data', () => {}); // drain and drop
    socket.resume();
    // A client that already closed its side gets the reply and our FIN; allowHalfOpen sockets then close.
    if (reply === undefined) socket.end();
    else socket.end(reply);
  });
}
