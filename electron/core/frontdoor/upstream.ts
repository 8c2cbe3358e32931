// One TCP connect to a gateway generation's internal port on 127.0.0.1.
import net from 'node:net';

export interface UpstreamAttempt {
  socket: net.Socket;
  /** Resolves when connected; rejects (socket destroyed) on refusal, error or timeout. */
  connected: Promise<void>;
}

export function connectUpstream(port: number, timeoutMs: number): UpstreamAttempt {
  // allowHalfOpen: a client's FIN must not close the gateway's direction before it has answered.
  // noDelay: small WebSocket frames go out at once instead of waiting for an ACK (Nagle).
  const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true, noDelay: true });
  const connected = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => socket.destroy(new Error(`connect to 127.0.0.1:${port} timed out after ${timeoutMs} ms`)), timeoutMs);
    // Stays attached: a no-op once connected, so an error can never go unhandled between owners.
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    const onClose = () => {
      clearTimeout(timer);
      reject(new Error('connect abandoned')); // destroyed by the caller before connecting
    };
    socket.once('close', onClose);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('close', onClose);
      resolve();
    });
  });
  return { socket, connected };
}
