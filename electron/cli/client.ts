// The pincer CLI's side of the wire: finds the running Pincer through its data dir's instance
// lock (API address + token, 0600) and speaks its HTTP API.
import { takeSseEvents } from '../core/sse-events';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { findInstance, type InstanceApi, type InstanceRecord } from '../core/instance-lock';

/** No Pincer runs on the data dir (no lock file, or its holder is dead). */
export class NoInstanceError extends Error {
  constructor(dataDir: string) {
    super(`no Pincer is running on the data dir ${dataDir}`);
    this.name = 'NoInstanceError';
  }
}

/** The instance answered with an HTTP error. */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

/** A Pincer that is just starting publishes its API within moments. */
const API_APPEARS_MS = 10_000;

export interface Connected {
  instance: InstanceRecord & { api: InstanceApi };
  call<T>(method: 'GET' | 'POST', route: string): Promise<T>;
  /** Server-sent events until the stream ends (the instance quit). */
  events(onEvent: (event: string, data: unknown) => void): Promise<void>;
}

export async function connect(dataDir: string): Promise<Connected> {
  const deadline = Date.now() + API_APPEARS_MS;
  let instance = await findInstance(dataDir);
  while (instance && !instance.api && Date.now() < deadline) {
    await sleep(100);
    instance = await findInstance(dataDir);
  }
  if (!instance) throw new NoInstanceError(dataDir);
  if (!instance.api) throw new Error(`Pincer (pid ${instance.pid}) runs on ${dataDir} but its API did not come up`);
  const api = instance.api;
  const url = new URL(api.url);
  const request = (method: string, route: string) =>
    http.request({
      host: url.hostname,
      port: Number(url.port),
      method,
      path: `${url.pathname}${route}`,
      agent: false,
      headers: { authorization: `Bearer ${api.token}` },
    });
  return {
    instance: { ...instance, api },
    call<T>(method: 'GET' | 'POST', route: string) {
      return new Promise<T>((resolve, reject) => {
        const outgoing = request(method, route);
        outgoing.on('response', (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => {
            let body: unknown;
            try {
              body = JSON.parse(text);
            } catch {
              return reject(new ApiCallError(response.statusCode ?? 0, `unexpected answer from ${api.url}${route}: ${text.slice(0, 200)}`));
            }
            const status = response.statusCode ?? 0;
            if (status >= 400) return reject(new ApiCallError(status, (body as { error?: string }).error ?? `HTTP ${status}`));
            resolve(body as T);
          });
        });
        outgoing.on('error', reject);
        outgoing.end();
      });
    },
    events(onEvent) {
      return new Promise<void>((resolve, reject) => {
        const outgoing = request('GET', '/events');
        outgoing.on('response', (response) => {
          if (response.statusCode !== 200)
            return reject(new ApiCallError(response.statusCode ?? 0, `the event stream answered ${response.statusCode}`));
          let buffer = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            const { events, rest } = takeSseEvents(buffer + chunk);
            buffer = rest;
            for (const { event, data } of events) onEvent(event, JSON.parse(data));
          });
          response.on('end', resolve);
          response.on('error', resolve); // the instance went away mid-stream
        });
        outgoing.on('error', reject);
        outgoing.end();
      });
    },
  };
}
