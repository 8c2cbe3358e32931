// What our client puts on the wire, checked by a scripted peer on a real loopback socket: the exact
// connect params and v3 device proof, the bounded wait for the challenge, and frames that arrive in
// the same chunk as hello-ok.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectError, connectGateway, type ConnectOptions, type ConnectionLoss } from '../../electron/core/connection';
import { gatewayPlatform } from '../../electron/core/connection/handshake';
import { encodeEvent, encodeResponse, parseFrame, readConnectParams, verifyDeviceProof, type ConnectParams } from '../../electron/core/protocol';

const TOKEN = 'wire-test-token';
let server: WebSocketServer;
let port: number;
let dataDir: string;

function options(overrides: Partial<ConnectOptions> = {}): ConnectOptions {
  return {
    port,
    token: TOKEN,
    dataDir,
    heartbeatMs: 5_000,
    handshakeTimeoutMs: 2_000,
    clientVersion: '1.2.3',
    log: () => {},
    ...overrides,
  };
}

function helloOk(id: string): string {
  return encodeResponse(id, {
    type: 'hello-ok',
    protocol: 4,
    server: { version: 'peer-1', connId: 'c1', bootId: 'b1' },
    features: { methods: [], events: [] },
    snapshot: {},
    auth: { role: 'operator', scopes: ['operator.read'] },
    policy: { maxPayload: 1_000_000, tickIntervalMs: 1_000 },
  });
}

/** Sends a challenge and hands the peer's first request to `onConnect`. */
function scriptPeer(onConnect: (ws: WebSocket, id: string, params: unknown, challenge: { nonce: string; ts: number }) => void): void {
  server.on('connection', (ws) => {
    const challenge = { nonce: `nonce-${Math.random()}`, ts: Date.now() };
    ws.send(encodeEvent('connect.challenge', challenge));
    ws.once('message', (data) => {
      const parsed = parseFrame(data as Buffer);
      if (parsed.ok && parsed.frame.type === 'req') onConnect(ws, parsed.frame.id, parsed.frame.params, challenge);
    });
  });
}

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-wire-'));
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as { port: number }).port;
});

afterEach(async () => {
  for (const client of server.clients) client.terminate();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the connect request on the wire', () => {
  it('asks for exactly what a supervisor needs, with a v3 proof bound to the challenge', async () => {
    let seen: { params: ConnectParams; verdict: ReturnType<typeof verifyDeviceProof> } | undefined;
    scriptPeer((ws, id, raw, challenge) => {
      const read = readConnectParams(raw);
      if (!read.ok) throw new Error(read.message);
      seen = { params: read.params, verdict: verifyDeviceProof(read.params, read.params.device!, challenge) };
      ws.send(helloOk(id));
    });
    const connection = await connectGateway(options());
    expect(connection.hello).toEqual({ serverVersion: 'peer-1', bootId: 'b1', connId: 'c1', maxPayload: 1_000_000, tickIntervalMs: 1_000 });
    expect(seen!.params).toMatchObject({
      minProtocol: 4,
      maxProtocol: 4,
      client: { id: 'gateway-client', mode: 'backend', version: '1.2.3', platform: gatewayPlatform() },
      role: 'operator',
      scopes: ['operator.read'],
      caps: [],
      auth: { token: TOKEN },
    });
    expect(seen!.verdict.ok).toBe(true);
    await connection.close();
  });

  it('names platforms the way OpenClaw does', () => {
    expect(gatewayPlatform('darwin')).toBe('macos');
    expect(gatewayPlatform('win32')).toBe('windows');
    expect(gatewayPlatform('linux')).toBe('linux');
  });

  it('a peer that never sends the challenge → TIMEOUT within the bound, no socket left open', async () => {
    let peer: WebSocket | undefined;
    server.on('connection', (ws) => (peer = ws));
    const started = performance.now();
    const error = await connectGateway(options({ handshakeTimeoutMs: 300 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe('TIMEOUT');
    expect((error as ConnectError).message).toMatch(/connect\.challenge/);
    expect(performance.now() - started).toBeLessThan(1_500);
    await new Promise((resolve) => (peer!.readyState === peer!.CLOSED ? resolve(null) : peer!.once('close', resolve)));
  });

  it('a malformed challenge → PROTOCOL_MISMATCH', async () => {
    server.on('connection', (ws) => ws.send(encodeEvent('connect.challenge', { nonce: '', ts: -1 })));
    const error = await connectGateway(options()).catch((e: unknown) => e);
    expect((error as ConnectError).code).toBe('PROTOCOL_MISMATCH');
  });

  it('a shutdown event in the same chunk as hello-ok is not lost', async () => {
    scriptPeer((ws, id) => {
      // Back to back: hello-ok, shutdown and the close frame usually reach the client in one read,
      // so ws emits them in one synchronous run before the connect promise's continuation.
      ws.send(helloOk(id));
      ws.send(encodeEvent('shutdown', { reason: 'restart', restartExpectedMs: 750 }));
      ws.close(1012, 'service restart');
    });
    const connection = await connectGateway(options());
    const loss = await new Promise<ConnectionLoss>((resolve) => connection.onLost(resolve));
    expect(loss).toMatchObject({ code: 1012, shutdown: { reason: 'restart', restartExpectedMs: 750 } });
  });
});
