// A minimal protocol client for reference-gateway tests: a real `ws` socket, our protocol module to sign.
import WebSocket from 'ws';
import {
  CLIENT_MODES,
  buildConnectParams,
  encodeRequest,
  generateDeviceKeyPair,
  parseFrame,
  readChallenge,
  type Challenge,
  type ConnectParams,
  type DeviceKeyPair,
  type Frame,
  type ParseFrameResult,
  type ResponseFrame,
} from '../../electron/core/protocol';
import { waitFor } from '../helpers/wait';

export const TEST_KEY_PAIR: DeviceKeyPair = generateDeviceKeyPair();

export interface TestClient {
  ws: WebSocket;
  challenge: Challenge;
  /** Every message received, as text, in order. */
  raw: string[];
  parsed: ParseFrameResult[];
  /** Errors the socket reported (e.g. a frame over maxPayload). */
  errors: Error[];
  closed: Promise<{ code: number; reason: string }>;
  waitForFrame(match: (frame: Frame) => boolean, what: string, timeoutMs?: number): Promise<Frame>;
  /** Sends a request and resolves with its response. */
  request(method: string, params?: unknown, timeoutMs?: number): Promise<ResponseFrame>;
  connectParams(overrides?: { token?: string; keyPair?: DeviceKeyPair; challenge?: Challenge }): ConnectParams;
  /** Sends connect with our signed params (or the given ones) and resolves with the response. */
  connect(params?: ConnectParams): Promise<ResponseFrame>;
}

const clients = new Set<WebSocket>();
let nextId = 0;

export async function openClient(port: number, { token, maxPayload }: { token: string; maxPayload?: number }): Promise<TestClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { handshakeTimeout: 10_000, ...(maxPayload ? { maxPayload } : {}) });
  clients.add(ws);
  const raw: string[] = [];
  const parsed: ParseFrameResult[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => {
      clients.delete(ws);
      resolve({ code, reason: reason.toString() });
    });
  });
  const errors: Error[] = [];
  ws.on('error', (error) => errors.push(error));
  ws.on('message', (data, isBinary) => {
    const text = isBinary ? '<binary>' : data.toString();
    raw.push(text);
    parsed.push(parseFrame(text));
  });
  const frames = () => parsed.flatMap((result) => (result.ok ? [result.frame] : []));
  const waitForFrame = (match: (frame: Frame) => boolean, what: string, timeoutMs = 10_000) =>
    waitFor(() => frames().find(match), { what, timeoutMs });

  const first = await waitForFrame((frame) => frame.type === 'event' && frame.event === 'connect.challenge', 'connect.challenge');
  const challenge = readChallenge(first as Extract<Frame, { type: 'event' }>);
  if (!challenge) throw new Error(`bad challenge: ${JSON.stringify(first)}`);

  const request = async (method: string, params?: unknown, timeoutMs?: number) => {
    const id = `t${++nextId}`;
    ws.send(encodeRequest(id, method, params));
    return (await waitForFrame((frame) => frame.type === 'res' && frame.id === id, `response to ${method}`, timeoutMs)) as ResponseFrame;
  };
  const connectParams: TestClient['connectParams'] = (overrides = {}) =>
    buildConnectParams({
      client: { version: '0.0.0-test', platform: process.platform, mode: CLIENT_MODES.BACKEND },
      scopes: ['operator.read'],
      token: overrides.token ?? token,
      keyPair: overrides.keyPair ?? TEST_KEY_PAIR,
      challenge: overrides.challenge ?? challenge,
    });
  return {
    ws,
    challenge,
    raw,
    parsed,
    errors,
    closed,
    waitForFrame,
    request,
    connectParams,
    connect: (params) => request('connect', params ?? connectParams()),
  };
}

/** For afterEach: no client socket outlives its test. */
export function closeAllClients(): void {
  for (const ws of clients) ws.terminate();
  clients.clear();
}
