// The headless twin's HTTP API, as the chaos driver speaks it (bearer token, loopback, no keep-alive).
import http from 'node:http';
import type { GatewayStatus } from '../../electron/core/status';
import type { Intent } from './schedule';

export interface Reply {
  status: number;
  body: string;
}

export class ApiClient {
  constructor(
    readonly port: number,
    private readonly token: string,
  ) {}

  call(method: string, path: string, body?: unknown, timeoutMs = 15_000): Promise<Reply> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          agent: false,
          timeout: timeoutMs,
          headers: { authorization: `Bearer ${this.token}`, ...(text === undefined ? {} : { 'content-type': 'application/json' }) },
        },
        (response) => {
          let data = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (data += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: data }));
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
      request.on('error', reject);
      request.end(text);
    });
  }

  async status(): Promise<GatewayStatus> {
    const reply = await this.call('GET', '/api/status');
    if (reply.status !== 200) throw new Error(`GET /api/status → ${reply.status} ${reply.body.slice(0, 200)}`);
    return JSON.parse(reply.body) as GatewayStatus;
  }

  /** POST /api/start|stop|restart; the twin answers 202 with the status at that moment. */
  async intent(intent: Intent): Promise<GatewayStatus> {
    const reply = await this.call('POST', `/api/${intent}`);
    if (reply.status !== 202) throw new Error(`POST /api/${intent} → ${reply.status} ${reply.body.slice(0, 200)}`);
    return JSON.parse(reply.body) as GatewayStatus;
  }

  async putSettings(patch: Record<string, unknown>): Promise<{ restartScheduled: boolean }> {
    const reply = await this.call('PUT', '/api/settings', patch);
    if (reply.status !== 200) throw new Error(`PUT /api/settings → ${reply.status} ${reply.body.slice(0, 300)}`);
    return JSON.parse(reply.body) as { restartScheduled: boolean };
  }
}
