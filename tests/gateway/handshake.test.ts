// The reference gateway's handshake and RPC against a real `ws` client, over a real loopback port.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildConnectParams,
  CLIENT_MODES,
  connectErrorCode,
  encodeRequest,
  generateDeviceKeyPair,
  readHelloOk,
  readPairingRequestId,
  type ResponseFrame,
} from '../../electron/core/protocol';
import { freePort } from '../helpers/ports';
import { startReferenceGateway, stopAllReferenceGateways, type ReferenceGatewayProcess } from '../helpers/reference-gateway';
import { closeAllClients, openClient, TEST_KEY_PAIR } from './client';

const TOKEN = 'handshake-test-token-6f1c';

afterEach(() => closeAllClients());
afterAll(() => stopAllReferenceGateways());

function expectRefusal(response: ResponseFrame, code: string, detailCode: string): void {
  expect(response.ok).toBe(false);
  expect(response.error?.code).toBe(code);
  expect(connectErrorCode(response.error!)).toBe(detailCode);
}

describe('reference gateway handshake (one gateway, many clients)', () => {
  let port: number;
  let gateway: ReferenceGatewayProcess;
  beforeAll(async () => {
    port = await freePort();
    gateway = await startReferenceGateway({
      port,
      token: TOKEN,
      env: { PINCER_REFGW_MAX_PAYLOAD: '4096', PINCER_REFGW_TICK_MS: '100' },
    });
  });

  it('sends connect.challenge first, then hello-ok for a signed connect, then answers health and status', async () => {
    const client = await openClient(port, { token: TOKEN });
    expect(client.raw[0]).toContain('"event":"connect.challenge"');
    expect(client.challenge.nonce).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs(client.challenge.ts - Date.now())).toBeLessThan(60_000);

    const response = await client.connect();
    expect(response.ok).toBe(true);
    const hello = readHelloOk(response.payload);
    expect(hello).toMatchObject({
      protocol: 4,
      server: { version: '0.1.0', bootId: expect.stringMatching(/^[0-9a-f-]{36}$/), connId: expect.any(String) },
      auth: { role: 'operator', scopes: ['operator.read'], deviceToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) },
      policy: { maxPayload: 4096, tickIntervalMs: 100 },
    });

    const health = await client.request('health', { probe: true });
    expect(health).toMatchObject({ ok: true, payload: { ok: true, status: 'live', bootId: hello!.server.bootId } });
    const status = await client.request('status');
    expect(status).toMatchObject({ ok: true, payload: { pid: gateway.pid, bootId: hello!.server.bootId, connections: 1, ready: true } });
    expect((status.payload as { uptimeMs: number }).uptimeMs).toBeGreaterThanOrEqual(0);

    const unknown = await client.request('config.get');
    expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: 'unknown method: config.get' } });
    const again = await client.request('connect', client.connectParams());
    expect(again).toMatchObject({ ok: false, error: { message: 'already connected' } });

    // Junk after the handshake is ignored, not fatal.
    client.ws.send('not json');
    client.ws.send('{"type":"event","event":"x"}');
    expect((await client.request('health')).ok).toBe(true);
  });

  it('sends tick events with increasing seq to connected clients', async () => {
    const client = await openClient(port, { token: TOKEN });
    expect((await client.connect()).ok).toBe(true);
    const ticks = () => client.parsed.flatMap((r) => (r.ok && r.frame.type === 'event' && r.frame.event === 'tick' ? [r.frame] : []));
    await client.waitForFrame(() => ticks().length >= 2, 'two ticks');
    const [first, second] = ticks();
    expect(second!.seq).toBeGreaterThan(first!.seq!);
    expect(first!.payload).toEqual({ ts: expect.any(Number) });
  });

  it('issues one device token per device and accepts it instead of the shared token', async () => {
    const first = await openClient(port, { token: TOKEN });
    const deviceToken = readHelloOk((await first.connect()).payload)!.auth.deviceToken!;
    const second = await openClient(port, { token: deviceToken });
    const response = await second.connect();
    expect(response.ok).toBe(true);
    expect(readHelloOk(response.payload)!.auth.deviceToken).toBe(deviceToken);

    // The device token belongs to its device only.
    const stranger = await openClient(port, { token: deviceToken });
    const refused = await stranger.connect(stranger.connectParams({ keyPair: generateDeviceKeyPair() }));
    expectRefusal(refused, 'INVALID_REQUEST', 'AUTH_TOKEN_MISMATCH');
    expect(await stranger.closed).toEqual({ code: 1008, reason: 'unauthorized: gateway token mismatch' });
  });

  it.each<[string, (client: Awaited<ReturnType<typeof openClient>>) => unknown, string, string, number]>([
    ['wrong token', (c) => c.connectParams({ token: 'wrong' }), 'INVALID_REQUEST', 'AUTH_TOKEN_MISMATCH', 1008],
    ['no token', (c) => ({ ...c.connectParams(), auth: {} }), 'INVALID_REQUEST', 'AUTH_TOKEN_MISSING', 1008],
    ['unknown device token', (c) => ({ ...c.connectParams(), auth: { deviceToken: 'nope' } }), 'INVALID_REQUEST', 'AUTH_DEVICE_TOKEN_MISMATCH', 1008],
    [
      'signature tampered',
      (c) => {
        const params = c.connectParams();
        return { ...params, device: { ...params.device!, signature: params.device!.signature.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A')) } };
      },
      'INVALID_REQUEST',
      'DEVICE_AUTH_SIGNATURE_INVALID',
      1008,
    ],
    [
      'scopes widened after signing',
      (c) => ({ ...c.connectParams(), scopes: ['operator.admin'] }),
      'INVALID_REQUEST',
      'DEVICE_AUTH_SIGNATURE_INVALID',
      1008,
    ],
    [
      'signed for another challenge',
      (c) => c.connectParams({ challenge: { nonce: 'old-nonce', ts: c.challenge.ts } }),
      'INVALID_REQUEST',
      'DEVICE_AUTH_NONCE_MISMATCH',
      1008,
    ],
    [
      'signedAt not the challenge ts',
      (c) => c.connectParams({ challenge: { ...c.challenge, ts: c.challenge.ts - 1000 } }),
      'INVALID_REQUEST',
      'DEVICE_AUTH_SIGNATURE_EXPIRED',
      1008,
    ],
    ['no device', (c) => ({ ...c.connectParams(), device: undefined }), 'NOT_PAIRED', 'DEVICE_IDENTITY_REQUIRED', 1008],
    ['protocol 5–6', (c) => ({ ...c.connectParams(), minProtocol: 5, maxProtocol: 6 }), 'INVALID_REQUEST', 'PROTOCOL_MISMATCH', 1002],
    [
      'unknown client id',
      (c) => ({ ...c.connectParams(), client: { ...c.connectParams().client, id: 'pincer' } }),
      'INVALID_REQUEST',
      'INVALID_REQUEST',
      1008,
    ],
  ])('refuses %s with %s/%s, then closes %i', async (_name, params, code, detailCode, closeCode) => {
    const client = await openClient(port, { token: TOKEN });
    const response = await client.connect(params(client) as ReturnType<typeof client.connectParams>);
    expectRefusal(response, code, detailCode);
    expect((await client.closed).code).toBe(closeCode);
  });

  it('closes 1008 when the first request is not connect, and when the first frame is not a request', async () => {
    const wrongMethod = await openClient(port, { token: TOKEN });
    const response = await wrongMethod.request('health');
    expect(response).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: 'invalid handshake: first request must be connect' } });
    expect((await wrongMethod.closed).code).toBe(1008);

    const garbage = await openClient(port, { token: TOKEN });
    garbage.ws.send('hello?');
    expect((await garbage.closed).code).toBe(1008);
    expect(garbage.raw).toHaveLength(1);
  });

  it('enforces maxPayload: a client frame larger than it closes the socket 1009', async () => {
    const client = await openClient(port, { token: TOKEN });
    expect((await client.connect()).ok).toBe(true);
    client.ws.send(encodeRequest('big', 'health', { pad: 'x'.repeat(8192) }));
    expect((await client.closed).code).toBe(1009);
    // The gateway itself is fine.
    const next = await openClient(port, { token: TOKEN });
    expect((await next.connect()).ok).toBe(true);
  });
});

describe('handshake timeout', () => {
  it('closes 1000 when the client sends nothing after the challenge', async () => {
    const port = await freePort();
    await startReferenceGateway({ port, token: TOKEN, env: { PINCER_REFGW_HANDSHAKE_TIMEOUT_MS: '400' } });
    const silent = await openClient(port, { token: TOKEN });
    const started = Date.now();
    expect(await silent.closed).toEqual({ code: 1000, reason: 'handshake timeout' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe.each([
  ['token', 'INVALID_REQUEST', 'AUTH_TOKEN_MISMATCH', 1008],
  ['protocol', 'INVALID_REQUEST', 'PROTOCOL_MISMATCH', 1002],
  ['pairing', 'NOT_PAIRED', 'PAIRING_REQUIRED', 1008],
])('PINCER_REFGW_REFUSE_HANDSHAKE=%s', (refusal, code, detailCode, closeCode) => {
  it(`refuses a correct connect with ${detailCode} and close ${closeCode}`, async () => {
    const port = await freePort();
    await startReferenceGateway({ port, token: TOKEN, env: { PINCER_REFGW_REFUSE_HANDSHAKE: refusal } });
    const client = await openClient(port, { token: TOKEN });
    const response = await client.connect();
    expectRefusal(response, code, detailCode);
    const closed = await client.closed;
    expect(closed.code).toBe(closeCode);
    if (refusal === 'pairing') {
      const requestId = readPairingRequestId(response.error!);
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(closed.reason).toContain(requestId);
    }
  });
});

describe('connect params built for another device family', () => {
  it('are verified with platform and deviceFamily lowercased, as OpenClaw signs them', async () => {
    const port = await freePort();
    await startReferenceGateway({ port, token: TOKEN });
    const client = await openClient(port, { token: TOKEN });
    const params = buildConnectParams({
      client: { version: '1.0.0', platform: 'Linux', mode: CLIENT_MODES.UI, deviceFamily: 'Desktop' },
      scopes: ['operator.read', 'operator.write'],
      token: TOKEN,
      keyPair: TEST_KEY_PAIR,
      challenge: client.challenge,
    });
    expect((await client.connect(params)).ok).toBe(true);
  });
});
