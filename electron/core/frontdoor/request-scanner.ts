// Watches the client → gateway byte stream of one connection for HTTP request heads, so that every
// request on a keep-alive connection has its `Origin` and `Host` checked, not only the first (a page could
// otherwise send a harmless GET first and reuse the connection). Bytes pass through unchanged and in
// order; only a request head is held back until it is complete and allowed. Bodies are skipped by
// their framing (Content-Length or chunked), the way Node's HTTP parser frames them. After a
// WebSocket upgrade (or CONNECT), or when the stream does not start like HTTP, the rest is opaque.

/** Node's default --max-http-header-size is 16 KiB; allow more, the gateway enforces its own limit. */
export const MAX_HEAD_BYTES = 64 * 1024;
/** A chunk-size or trailer line longer than this is not HTTP. */
const MAX_LINE_BYTES = 4 * 1024;

export type ScanVerdict = { kind: 'refused'; header: 'origin' | 'host'; value: string } | { kind: 'malformed'; status: 400 | 431; reason: string };

/** Which browser requests pass (origin-policy.ts). */
export interface RequestPolicy {
  allowOrigin(origin: string): boolean;
  allowHost(host: string): boolean;
}

export interface ScanOutput {
  /** Bytes to pass on, in order. */
  forward: Buffer[];
  /** Set once; from then on the scanner passes nothing. */
  verdict?: ScanVerdict;
}

type Mode =
  | { kind: 'head' }
  | { kind: 'body'; remaining: number }
  | { kind: 'chunk-size' }
  | { kind: 'chunk-data'; remaining: number }
  | { kind: 'chunk-end' }
  | { kind: 'trailers' }
  | { kind: 'opaque' }
  | { kind: 'stopped' };

const TCHAR = "[!#$%&'*+.^_`|~0-9A-Za-z-]";
const REQUEST_LINE = new RegExp(`^${TCHAR}+ [^\\x00-\\x20\\x7f]+ HTTP/\\d\\.\\d$`);
const METHOD_PREFIX = new RegExp(`^${TCHAR}*$`);
const METHOD_AND_TARGET_PREFIX = new RegExp(`^${TCHAR}+ [^\\x00-\\x20\\x7f]*$`);
const BEFORE_VERSION = new RegExp(`^${TCHAR}+ [^\\x00-\\x20\\x7f]+ `);
const HEADER_NAME = new RegExp(`^${TCHAR}+$`);
const VERSION_SHAPE = 'HTTP/1.1\r';
/** Requests that may be sent twice without changing anything (RFC 9110 §9.2.2 safe methods). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Could `line` (no newline yet) still become a request line? */
function couldBeRequestLine(line: string): boolean {
  if (METHOD_PREFIX.test(line) || METHOD_AND_TARGET_PREFIX.test(line)) return true;
  const before = BEFORE_VERSION.exec(line);
  if (!before) return false;
  const version = line.slice(before[0].length);
  if (version.length > VERSION_SHAPE.length) return false;
  // Compare shape: digits may be any digit.
  return [...version].every((char, i) => (VERSION_SHAPE[i] === '1' ? /\d/.test(char) : char === VERSION_SHAPE[i]));
}

/** Does the stream start like an HTTP request? 'undecided' until the first line is complete or impossible. */
export function classifyStart(bytes: Buffer): 'http' | 'not-http' | 'undecided' {
  const newline = bytes.indexOf(10);
  const line = bytes.toString('latin1', 0, newline >= 0 ? newline : Math.min(bytes.length, MAX_HEAD_BYTES));
  if (newline >= 0) return REQUEST_LINE.test(line.replace(/\r$/, '')) ? 'http' : 'not-http';
  return couldBeRequestLine(line) ? 'undecided' : 'not-http';
}

/** Index just past the blank line ending a head (CRLF or bare LF line ends), or -1. */
function headEnd(bytes: Buffer, from: number): number {
  for (let i = bytes.indexOf(10, from); i >= 0; i = bytes.indexOf(10, i + 1)) {
    if (bytes[i + 1] === 10) return i + 2;
    if (bytes[i + 1] === 13 && i + 2 < bytes.length && bytes[i + 2] === 10) return i + 3;
  }
  return -1;
}

export interface RequestHead {
  method: string;
  headers: Map<string, string[]>;
}

/** Parses a complete head (request line + header lines + blank line); undefined if it is not valid HTTP. */
export function parseHead(head: Buffer): RequestHead | undefined {
  const lines = head
    .toString('latin1')
    .split('\n')
    .map((line) => line.replace(/\r$/, ''));
  const requestLine = lines[0] ?? '';
  if (!REQUEST_LINE.test(requestLine)) return undefined;
  const headers = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    // Obsolete line folding: RFC 9112 lets a server reject it, and no browser sends it.
    if (line.startsWith(' ') || line.startsWith('\t')) return undefined;
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    if (colon <= 0 || !HEADER_NAME.test(name)) return undefined;
    const key = name.toLowerCase();
    headers.set(key, [...(headers.get(key) ?? []), line.slice(colon + 1).trim()]);
  }
  return { method: requestLine.slice(0, requestLine.indexOf(' ')), headers };
}

const tokens = (values: readonly string[] | undefined): string[] =>
  (values ?? [])
    .flatMap((value) => value.split(','))
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);

/** What follows a head: opaque bytes (upgrade/CONNECT), a counted body, a chunked body, or nothing. */
export function framingAfter(head: RequestHead): Mode | { kind: 'malformed'; reason: string } {
  // As llhttp decides: an upgrade needs both `Connection: upgrade` and an `Upgrade` header.
  if (head.method === 'CONNECT' || (tokens(head.headers.get('connection')).includes('upgrade') && head.headers.has('upgrade'))) {
    return { kind: 'opaque' };
  }
  const transferEncoding = tokens(head.headers.get('transfer-encoding'));
  const contentLength = tokens(head.headers.get('content-length'));
  if (transferEncoding.length > 0) {
    if (contentLength.length > 0) return { kind: 'malformed', reason: 'both Transfer-Encoding and Content-Length' };
    if (transferEncoding.at(-1) !== 'chunked') return { kind: 'malformed', reason: 'a request body not ending in chunked encoding' };
    return { kind: 'chunk-size' };
  }
  if (contentLength.length === 0) return { kind: 'head' };
  if (!contentLength.every((value) => value === contentLength[0] && /^\d{1,15}$/.test(value))) {
    return { kind: 'malformed', reason: 'an invalid Content-Length' };
  }
  const length = Number(contentLength[0]);
  return length === 0 ? { kind: 'head' } : { kind: 'body', remaining: length };
}

export class RequestScanner {
  private mode: Mode = { kind: 'head' };
  private headBytes: Buffer = Buffer.alloc(0);
  private line = '';
  private requests = 0;
  private received = 0;
  private forwarded = 0;
  /** Bytes forwarded when the first head completed, if that request is safe to send twice. */
  private safeFirstEndsAt?: number;

  constructor(private readonly policy: RequestPolicy) {}

  /** True once the first request head passed, or the stream turned out not to be HTTP. */
  get decided(): boolean {
    return this.requests > 0 || this.mode.kind === 'opaque' || this.mode.kind === 'stopped';
  }

  /** True when the rest of the stream passes unparsed (not HTTP, or after an upgrade). */
  get opaque(): boolean {
    return this.mode.kind === 'opaque';
  }

  /** True when the connection started as HTTP (it gets HTTP replies when it is closed on purpose). */
  get startedAsHttp(): boolean {
    return this.requests > 0 || (this.headBytes.length > 0 && classifyStart(this.headBytes) !== 'not-http');
  }

  /**
   * True while everything passed so far is one complete request that is safe to send again
   * (GET/HEAD/OPTIONS without a body, including a WebSocket upgrade): if the gateway closes before
   * answering, it can be replayed to the next generation.
   */
  get replayable(): boolean {
    return this.requests === 1 && this.safeFirstEndsAt === this.forwarded;
  }

  /** No byte has arrived yet. */
  get silent(): boolean {
    return this.received === 0;
  }

  /** Passes everything from now on as-is (a silent client that may be waiting for the server to speak). */
  passOpaque(): Buffer[] {
    const held = this.headBytes.length > 0 ? [this.headBytes] : [];
    this.headBytes = Buffer.alloc(0);
    if (this.mode.kind !== 'stopped') this.mode = { kind: 'opaque' };
    return held;
  }

  push(chunk: Buffer): ScanOutput {
    const output = this.scan(chunk);
    for (const bytes of output.forward) this.forwarded += bytes.length;
    return output;
  }

  private scan(chunk: Buffer): ScanOutput {
    this.received += chunk.length;
    const forward: Buffer[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      const mode = this.mode;
      switch (mode.kind) {
        case 'stopped':
          return { forward };
        case 'opaque':
          forward.push(offset === 0 ? chunk : chunk.subarray(offset));
          return { forward };
        case 'body':
        case 'chunk-data': {
          const take = Math.min(mode.remaining, chunk.length - offset);
          forward.push(chunk.subarray(offset, offset + take));
          offset += take;
          mode.remaining -= take;
          if (mode.remaining === 0) this.mode = mode.kind === 'body' ? { kind: 'head' } : { kind: 'chunk-end' };
          break;
        }
        case 'chunk-size':
        case 'chunk-end':
        case 'trailers': {
          const start = offset;
          const newline = chunk.indexOf(10, offset);
          const end = newline >= 0 ? newline + 1 : chunk.length;
          this.line += chunk.toString('latin1', start, newline >= 0 ? newline : end);
          forward.push(chunk.subarray(start, end));
          offset = end;
          if (this.line.length > MAX_LINE_BYTES) return this.stop(forward, { kind: 'malformed', status: 400, reason: 'an overlong chunk line' });
          if (newline < 0) break;
          const line = this.line.replace(/\r$/, '');
          this.line = '';
          const malformed = this.afterLine(mode.kind, line);
          if (malformed) return this.stop(forward, { kind: 'malformed', status: 400, reason: malformed });
          break;
        }
        case 'head': {
          const verdict = this.pushHead(chunk.subarray(offset), forward);
          if (verdict) return this.stop(forward, verdict);
          // pushHead consumed the rest of this chunk; anything past the head was re-fed through it.
          return { forward };
        }
      }
    }
    return { forward };
  }

  /** Advances the chunked-body state machine by one complete line; returns a reason if malformed. */
  private afterLine(kind: 'chunk-size' | 'chunk-end' | 'trailers', line: string): string | undefined {
    if (kind === 'chunk-end') {
      if (line !== '') return 'chunk data longer than its size';
      this.mode = { kind: 'chunk-size' };
      return undefined;
    }
    if (kind === 'trailers') {
      if (line === '') this.mode = { kind: 'head' };
      return undefined;
    }
    const size = /^([0-9A-Fa-f]{1,12})[ \t]*(;.*)?$/.exec(line);
    if (!size) return 'an invalid chunk size';
    const remaining = parseInt(size[1]!, 16);
    this.mode = remaining === 0 ? { kind: 'trailers' } : { kind: 'chunk-data', remaining };
    return undefined;
  }

  private pushHead(bytes: Buffer, forward: Buffer[]): ScanVerdict | undefined {
    let searchFrom = Math.max(0, this.headBytes.length - 3);
    this.headBytes = this.headBytes.length === 0 ? bytes : Buffer.concat([this.headBytes, bytes]);
    // Like llhttp, tolerate empty lines before a request (some clients send CRLF after a body).
    let blank = 0;
    while (blank < this.headBytes.length && (this.headBytes[blank] === 13 || this.headBytes[blank] === 10)) blank += 1;
    if (blank > 0) {
      forward.push(this.headBytes.subarray(0, blank));
      this.headBytes = this.headBytes.subarray(blank);
      searchFrom = Math.max(0, searchFrom - blank);
      if (this.headBytes.length === 0) return undefined;
    }
    if (this.requests === 0) {
      const start = classifyStart(this.headBytes);
      if (start === 'not-http') {
        forward.push(...this.passOpaque());
        return undefined;
      }
      if (start === 'undecided')
        return this.headBytes.length > MAX_HEAD_BYTES ? { kind: 'malformed', status: 431, reason: 'an overlong request line' } : undefined;
    }
    const end = headEnd(this.headBytes, searchFrom);
    if (end < 0) {
      return this.headBytes.length > MAX_HEAD_BYTES ? { kind: 'malformed', status: 431, reason: 'a request head over 64 KiB' } : undefined;
    }
    const head = this.headBytes.subarray(0, end);
    const rest = this.headBytes.subarray(end);
    this.headBytes = Buffer.alloc(0);
    const parsed = parseHead(head);
    if (!parsed) return { kind: 'malformed', status: 400, reason: 'a malformed request head' };
    for (const header of ['origin', 'host'] as const) {
      const allow = header === 'origin' ? this.policy.allowOrigin : this.policy.allowHost;
      const refused = (parsed.headers.get(header) ?? []).find((value) => !allow(value));
      if (refused !== undefined) return { kind: 'refused', header, value: refused };
    }
    const next = framingAfter(parsed);
    if (next.kind === 'malformed') return { kind: 'malformed', status: 400, reason: next.reason };
    forward.push(head);
    this.requests += 1;
    this.mode = next;
    if (this.requests === 1 && SAFE_METHODS.has(parsed.method) && (next.kind === 'head' || next.kind === 'opaque')) {
      this.safeFirstEndsAt = this.forwarded + forward.reduce((sum, bytes) => sum + bytes.length, 0);
    }
    if (rest.length === 0) return undefined;
    // The same chunk may carry a body and further pipelined requests.
    this.received -= rest.length;
    const more = this.scan(rest);
    forward.push(...more.forward);
    return more.verdict;
  }

  private stop(forward: Buffer[], verdict: ScanVerdict): ScanOutput {
    this.mode = { kind: 'stopped' };
    this.headBytes = Buffer.alloc(0);
    return { forward, verdict };
  }
}
