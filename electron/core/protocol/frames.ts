// Frame envelopes: parse untrusted WebSocket data into typed frames (never throws) and encode ours.
// Types and the response/event guards come from @openclaw/gateway-protocol; its only request validator
// lives in the heavy root entry (typebox schemas), so the small request guard is ours.
import {
  isGatewayEventFrame,
  isGatewayResponseFrame,
  type ErrorShape,
  type EventFrame,
  type RequestFrame,
  type ResponseFrame,
} from '@openclaw/gateway-protocol/frame-guards';

export type { ErrorShape, EventFrame, RequestFrame, ResponseFrame };
export type Frame = RequestFrame | ResponseFrame | EventFrame;

/** What a WebSocket library hands us: text, or binary data as ws delivers it. */
export type FrameData = string | Buffer | ArrayBuffer | Buffer[];

export type FrameRejectReason = 'not-json' | 'not-an-object' | 'unknown-type' | 'invalid-request' | 'invalid-response' | 'invalid-event';

export type ParseFrameResult = { ok: true; frame: Frame } | { ok: false; reason: FrameRejectReason };

function dataToText(data: FrameData): string {
  if (typeof data === 'string') return data;
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isRequestFrame(value: unknown): value is RequestFrame {
  return (
    isRecord(value) &&
    value.type === 'req' &&
    typeof value.id === 'string' &&
    value.id.length > 0 &&
    typeof value.method === 'string' &&
    value.method.length > 0
  );
}

export function parseFrame(data: FrameData): ParseFrameResult {
  let value: unknown;
  try {
    value = JSON.parse(dataToText(data));
  } catch {
    return { ok: false, reason: 'not-json' };
  }
  if (!isRecord(value)) return { ok: false, reason: 'not-an-object' };
  switch (value.type) {
    case 'req':
      return isRequestFrame(value) ? { ok: true, frame: value } : { ok: false, reason: 'invalid-request' };
    case 'res':
      return isGatewayResponseFrame(value) ? { ok: true, frame: value } : { ok: false, reason: 'invalid-response' };
    case 'event':
      return isGatewayEventFrame(value) ? { ok: true, frame: value } : { ok: false, reason: 'invalid-event' };
    default:
      return { ok: false, reason: 'unknown-type' };
  }
}

export function encodeRequest(id: string, method: string, params?: unknown): string {
  const frame: RequestFrame = params === undefined ? { type: 'req', id, method } : { type: 'req', id, method, params };
  return JSON.stringify(frame);
}

export function encodeResponse(id: string, payload: unknown): string {
  const frame: ResponseFrame = { type: 'res', id, ok: true, payload };
  return JSON.stringify(frame);
}

export function encodeErrorResponse(id: string, error: ErrorShape): string {
  const frame: ResponseFrame = { type: 'res', id, ok: false, error };
  return JSON.stringify(frame);
}

export function encodeEvent(event: string, payload: unknown, seq?: number): string {
  const frame: EventFrame = seq === undefined ? { type: 'event', event, payload } : { type: 'event', event, payload, seq };
  return JSON.stringify(frame);
}
