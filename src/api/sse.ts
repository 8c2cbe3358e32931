// A text/event-stream parser fed with decoded text chunks (the WHATWG "event stream"
// interpretation: fields event/data/id/retry, comments, CR/LF/CRLF line ends, dispatch on a
// blank line). Used because EventSource cannot send an Authorization header.

export interface ServerEvent {
  event: string;
  data: string;
}

export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  /** A chunk ended on CR: a following LF belongs to the same line end. */
  private skipLeadingLf = false;

  constructor(private readonly dispatch: (event: ServerEvent) => void) {}

  push(chunk: string): void {
    if (chunk === '') return;
    let text = chunk;
    if (this.skipLeadingLf && text.startsWith('\n')) text = text.slice(1);
    this.skipLeadingLf = false;
    this.buffer += text;
    let start = 0;
    for (;;) {
      const end = this.nextLineEnd(start);
      if (end === -1) break;
      this.line(this.buffer.slice(start, end));
      if (this.buffer[end] === '\r') {
        if (end + 1 === this.buffer.length) this.skipLeadingLf = true;
        start = this.buffer[end + 1] === '\n' ? end + 2 : end + 1;
      } else {
        start = end + 1;
      }
    }
    this.buffer = this.buffer.slice(start);
  }

  private nextLineEnd(from: number): number {
    const lf = this.buffer.indexOf('\n', from);
    const cr = this.buffer.indexOf('\r', from);
    if (lf === -1) return cr;
    if (cr === -1) return lf;
    return Math.min(lf, cr);
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) this.dispatch({ event: this.event || 'message', data: this.data.join('\n') });
      this.event = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    // id and retry are not used: we resync with GET requests after every reconnect.
  }
}
