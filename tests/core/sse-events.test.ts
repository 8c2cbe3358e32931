import { describe, expect, it } from 'vitest';
import { takeSseEvents } from '../../electron/core/sse-events';

describe('takeSseEvents', () => {
  it.each([
    ['one whole event', 'event: status\ndata: {"a":1}\n\n', [{ event: 'status', data: '{"a":1}' }], ''],
    [
      'two events and a partial one',
      'event: log\ndata: 1\n\nevent: status\ndata: 2\n\nevent: st',
      [
        { event: 'log', data: '1' },
        { event: 'status', data: '2' },
      ],
      'event: st',
    ],
    ['a comment (keep-alive) is skipped', ': ping\n\nevent: log\ndata: 3\n\n', [{ event: 'log', data: '3' }], ''],
    ['nothing complete yet', 'event: status\ndata: {"a"', [], 'event: status\ndata: {"a"'],
  ])('%s', (_name, buffer, events, rest) => {
    expect(takeSseEvents(buffer)).toEqual({ events, rest });
  });

  it('gives the same events however the stream is cut into chunks', () => {
    const stream = 'event: status\ndata: {"state":"running"}\n\nevent: log\ndata: {"text":"x"}\n\n';
    for (let cut = 1; cut < stream.length; cut++) {
      const first = takeSseEvents(stream.slice(0, cut));
      const second = takeSseEvents(first.rest + stream.slice(cut));
      expect([...first.events, ...second.events].map((e) => e.event)).toEqual(['status', 'log']);
    }
  });
});
