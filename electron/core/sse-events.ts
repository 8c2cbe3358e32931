// Server-sent events as the headless API writes them (`event: NAME\ndata: JSON\n\n`), read from a
// text stream that arrives in arbitrary chunks: the complete events so far, and the rest to keep.
export interface SseEvent {
  event: string;
  data: string;
}

export function takeSseEvents(buffer: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  let rest = buffer;
  for (let end = rest.indexOf('\n\n'); end >= 0; end = rest.indexOf('\n\n')) {
    const block = rest.slice(0, end);
    rest = rest.slice(end + 2);
    const event = /^event: (.*)$/m.exec(block)?.[1];
    const data = /^data: (.*)$/m.exec(block)?.[1];
    if (event && data) events.push({ event, data });
  }
  return { events, rest };
}
