import { describe, expect, it } from 'vitest';
import { encodeErrorResponse, encodeEvent, encodeRequest, encodeResponse, parseFrame } from '../../electron/core/protocol';

describe('parseFrame', () => {
  it.each([
    ['request', '{"type":"req","id":"1","method":"health","params":{"probe":true}}', 'req'],
    ['request without params', '{"type":"req","id":"1","method":"status"}', 'req'],
    ['ok response', '{"type":"res","id":"1","ok":true,"payload":{"a":1}}', 'res'],
    ['error response', '{"type":"res","id":"1","ok":false,"error":{"code":"UNAVAILABLE","message":"m","retryable":true,"retryAfterMs":500}}', 'res'],
    ['event', '{"type":"event","event":"tick","payload":{"ts":1},"seq":3}', 'event'],
  ])('accepts a %s', (_name, text, type) => {
    const result = parseFrame(text);
    expect(result.ok && result.frame.type).toBe(type);
  });

  it.each([
    ['not JSON', 'hello', 'not-json'],
    ['truncated JSON', '{"type":"req"', 'not-json'],
    ['empty', '', 'not-json'],
    ['a number', '42', 'not-an-object'],
    ['null', 'null', 'not-an-object'],
    ['an array', '[{"type":"req"}]', 'not-an-object'],
    ['unknown type', '{"type":"ping"}', 'unknown-type'],
    ['no type', '{"id":"1"}', 'unknown-type'],
    ['request without method', '{"type":"req","id":"1"}', 'invalid-request'],
    ['request with empty id', '{"type":"req","id":"","method":"x"}', 'invalid-request'],
    ['response without ok', '{"type":"res","id":"1"}', 'invalid-response'],
    ['response with numeric id', '{"type":"res","id":1,"ok":true}', 'invalid-response'],
    ['response with malformed error', '{"type":"res","id":"1","ok":false,"error":{"code":""}}', 'invalid-response'],
    [
      'error with negative retryAfterMs',
      '{"type":"res","id":"1","ok":false,"error":{"code":"X","message":"m","retryAfterMs":-1}}',
      'invalid-response',
    ],
    ['event without name', '{"type":"event","payload":{}}', 'invalid-event'],
    ['event with fractional seq', '{"type":"event","event":"x","seq":1.5}', 'invalid-event'],
  ])('rejects %s with a reason, without throwing', (_name, text, reason) => {
    expect(parseFrame(text)).toEqual({ ok: false, reason });
  });

  it('reads Buffer, Buffer[] and ArrayBuffer data as UTF-8', () => {
    const text = '{"type":"event","event":"é","payload":null}';
    const buffer = Buffer.from(text);
    const arrayBuffer = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
    for (const data of [buffer, [buffer.subarray(0, 10), buffer.subarray(10)], arrayBuffer]) {
      const result = parseFrame(data);
      expect(result.ok && result.frame.type === 'event' && result.frame.event).toBe('é');
    }
    expect(parseFrame(Buffer.from([0xff, 0xfe, 0x00]))).toEqual({ ok: false, reason: 'not-json' });
  });
});

describe('encoders', () => {
  it('produce frames that parse back to the same content', () => {
    expect(parseFrame(encodeRequest('a', 'health', { probe: true }))).toEqual({
      ok: true,
      frame: { type: 'req', id: 'a', method: 'health', params: { probe: true } },
    });
    expect(JSON.parse(encodeRequest('b', 'status'))).toEqual({ type: 'req', id: 'b', method: 'status' });
    expect(JSON.parse(encodeResponse('a', { ok: 1 }))).toEqual({ type: 'res', id: 'a', ok: true, payload: { ok: 1 } });
    const error = { code: 'UNAVAILABLE', message: 'later', retryable: true, retryAfterMs: 500, details: { reason: 'startup-sidecars' } };
    expect(parseFrame(encodeErrorResponse('a', error))).toEqual({ ok: true, frame: { type: 'res', id: 'a', ok: false, error } });
    expect(JSON.parse(encodeEvent('shutdown', { reason: 'x' }, 2))).toEqual({ type: 'event', event: 'shutdown', payload: { reason: 'x' }, seq: 2 });
    expect(JSON.parse(encodeEvent('tick', { ts: 1 }))).toEqual({ type: 'event', event: 'tick', payload: { ts: 1 } });
  });
});
