// `npm run serve` tried the way a new user would: a fresh data dir, the built twin, curl-like
// requests against its API, server-sent events, and a clean SIGTERM.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayStatus } from '../../electron/core/status';
import { isAlive, listDescendants } from '../../electron/core/process/tree';
import { buildAll } from '../helpers/build';
import { freePort } from '../helpers/ports';
import { startTwin, type Twin } from '../helpers/twin';
import { waitFor } from '../helpers/wait';

interface Reply {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

function call(
  port: number,
  method: string,
  url: string,
  { token, headers = {}, body }: { token?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, method, path: url, agent: false, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text, headers: response.headers }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe('npm run serve (headless twin)', () => {
  let twin: Twin;
  let dataDir: string;
  let apiPort: number;
  let gatewayPort: number;
  let token: string;

  beforeAll(async () => {
    await buildAll();
    gatewayPort = await freePort();
    twin = await startTwin({ gatewayPort });
    ({ dataDir, apiPort, token } = twin);
    expect(twin.output()).toContain(`API: http://127.0.0.1:${apiPort}/api`);
  });

  afterAll(async () => {
    await twin.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('auto-starts the reference gateway and reports it running', async () => {
    const status = await waitFor(
      async () => {
        const reply = await call(apiPort, 'GET', '/api/status', { token });
        const parsed = JSON.parse(reply.body) as GatewayStatus;
        return parsed.state === 'running' ? parsed : undefined;
      },
      { what: 'running via the API' },
    );
    expect(status).toMatchObject({ port: gatewayPort, gateway: { kind: 'reference' } });
    expect(isAlive(status.pid!)).toBe(true);
  });

  it('refuses requests without the token, with a wrong token, from a foreign Host or a cross-site Origin', async () => {
    expect((await call(apiPort, 'GET', '/api/status')).status).toBe(401);
    expect((await call(apiPort, 'GET', '/api/status', { token: `${token}x` })).status).toBe(401);
    expect((await call(apiPort, 'GET', '/api/status', { token, headers: { host: `evil.example:${apiPort}` } })).status).toBe(421);
    expect((await call(apiPort, 'POST', '/api/stop', { token, headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await call(apiPort, 'GET', '/api/status', { token, headers: { origin: `http://localhost:${apiPort}` } })).status).toBe(200);
  });

  it('bad input gets a 4xx with a message and changes nothing', async () => {
    const before = (await call(apiPort, 'GET', '/api/settings', { token })).body;
    const badJson = await call(apiPort, 'PUT', '/api/settings', { token, body: '{nope', headers: { 'content-type': 'application/json' } });
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.body).error).toMatch(/JSON/);
    const badPort = await call(apiPort, 'PUT', '/api/settings', { token, body: JSON.stringify({ gatewayPort: 80, colour: 'red' }) });
    expect(badPort.status).toBe(400);
    expect(
      JSON.parse(badPort.body)
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['colour', 'gatewayPort']);
    const huge = await call(apiPort, 'PUT', '/api/settings', { token, body: JSON.stringify({ gatewayEnv: { A: 'x'.repeat(200_000) } }) });
    expect(huge.status).toBe(413);
    expect((await call(apiPort, 'GET', '/api/nope', { token })).status).toBe(404);
    expect((await call(apiPort, 'GET', '/api/settings', { token })).body).toBe(before);
  });

  it('serves the dashboard with a strict CSP and never the token', async () => {
    const page = await call(apiPort, 'GET', '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).not.toContain(token);
    expect((await call(apiPort, 'GET', '/../package.json')).status).toBe(404);
  });

  it('restart through the API → 202, status events over SSE, a new pid', async () => {
    const before = JSON.parse((await call(apiPort, 'GET', '/api/status', { token })).body) as GatewayStatus;
    const events: GatewayStatus[] = [];
    const stream = http.get({ host: '127.0.0.1', port: apiPort, path: '/api/events', agent: false, headers: { authorization: `Bearer ${token}` } });
    let buffer = '';
    stream.on('response', (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^event: status\ndata: (.*)$/m.exec(block);
          if (data) events.push(JSON.parse(data[1]!) as GatewayStatus);
        }
      });
    });
    await waitFor(() => events.length > 0, { what: 'the first SSE status' });
    const reply = await call(apiPort, 'POST', '/api/restart', { token });
    expect(reply.status).toBe(202);
    const after = await waitFor(() => events.find((e) => e.state === 'running' && e.pid !== before.pid), { what: 'running with a new pid over SSE' });
    expect(events.map((e) => e.state)).toContain('restarting');
    expect(after.restarts).toBe(before.restarts + 1);
    stream.destroy();
  });

  it('writes a redacted diagnostics file', async () => {
    const reply = await call(apiPort, 'POST', '/api/diagnostics', { token });
    const { path: file } = JSON.parse(reply.body) as { path: string };
    expect(file.startsWith(dataDir)).toBe(true);
    const text = fs.readFileSync(file, 'utf8');
    const gatewayToken = fs.readFileSync(path.join(dataDir, 'gateway-token'), 'utf8').trim();
    expect(text).not.toContain(gatewayToken);
    expect(JSON.parse(text).status.state).toBe('running');
  });

  it('SIGTERM → graceful gateway stop, exit 0, no child process left', async () => {
    const status = JSON.parse((await call(apiPort, 'GET', '/api/status', { token })).body) as GatewayStatus;
    const tree = [status.pid!, ...(await listDescendants(status.pid!))];
    expect(await twin.stop()).toEqual({ code: 0, signal: null });
    for (const pid of tree) expect(isAlive(pid)).toBe(false);
    const gatewayToken = fs.readFileSync(path.join(dataDir, 'gateway-token'), 'utf8').trim();
    expect(twin.output()).not.toContain(gatewayToken);
    expect(fs.readFileSync(path.join(dataDir, 'logs', 'main.log'), 'utf8')).not.toContain(gatewayToken);
  });
});
