import { describe, expect, it } from 'vitest';
import { SseParser, type ServerEvent } from '../../src/api/sse';

function parse(chunks: string[]): ServerEvent[] {
  const events: ServerEvent[] = [];
  const parser = new SseParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(chunk);
  return events;
}

describe('SseParser', () => {
  it('reads named events with JSON data', () => {
    expect(parse(['event: status\ndata: {"state":"running"}\n\nevent: log\ndata: {"text":"hi"}\n\n'])).toEqual([
      { event: 'status', data: '{"state":"running"}' },
      { event: 'log', data: '{"text":"hi"}' },
    ]);
  });

  it('gives the same events however the stream is split into chunks', () => {
    const stream = 'event: status\r\ndata: {"a":1}\r\n\r\n: keepalive\n\nevent: log\rdata: x\r\r';
    const whole = parse([stream]);
    expect(whole).toEqual([
      { event: 'status', data: '{"a":1}' },
      { event: 'log', data: 'x' },
    ]);
    for (let i = 1; i < stream.length; i++) expect(parse([stream.slice(0, i), stream.slice(i)])).toEqual(whole);
    expect(parse(stream.split(''))).toEqual(whole);
  });

  it('joins multi-line data with newlines and strips one leading space only', () => {
    expect(parse(['data:first\ndata:  second\n\n'])).toEqual([{ event: 'message', data: 'first\n second' }]);
  });

  it('ignores comments, unknown fields, id/retry and events without data', () => {
    expect(parse([': hello\nid: 7\nretry: 100\nfoo: bar\n\nevent: status\n\ndata\n\n'])).toEqual([{ event: 'message', data: '' }]);
  });

  it('does not dispatch an event until its blank line arrives', () => {
    expect(parse(['event: status\ndata: {}\n'])).toEqual([]);
  });
});
