// Serves the HTTP API on a loopback port and publishes its address and token in the data dir's
// instance lock, where the pincer CLI finds them. Both front ends start their API through this.
import crypto from 'node:crypto';
import type http from 'node:http';
import type { InstanceLock } from '../core/instance-lock';
import { createApiServer, type ApiServerOptions } from './server';

export interface InstanceApiOptions extends Omit<ApiServerOptions, 'apiToken'> {
  lock: InstanceLock;
  /** 0: any free port. */
  port: number;
  /** Default: random for this run. */
  apiToken?: string;
}

export interface InstanceApi {
  server: http.Server;
  port: number;
  token: string;
  /** Takes no new connections; open event streams stay, to carry the shutdown's last lines. */
  stopListening(): void;
  /** Ends every connection (after the shutdown). */
  closeAll(): void;
}

export async function serveInstanceApi({ lock, port: wantedPort, apiToken, ...options }: InstanceApiOptions): Promise<InstanceApi> {
  const token = apiToken || crypto.randomBytes(24).toString('base64url');
  const server = createApiServer({ ...options, apiToken: token });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(wantedPort, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  lock.setApi({ url: `http://127.0.0.1:${port}/api`, token });
  return {
    server,
    port,
    token,
    stopListening() {
      server.close();
      server.closeIdleConnections();
    },
    closeAll() {
      server.closeAllConnections();
    },
  };
}
