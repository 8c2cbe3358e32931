import { describe, expect, it } from 'vitest';
import { classifyStart, framingAfter, parseHead, RequestScanner, type ScanVerdict } from '../../electron/core/frontdoor/request-scanner';

const policy = {
  allowOrigin: (origin: string) => origin === 'http://127.0.0.1:28789' || origin === 'https://ok.example',
  allowHost: (host: string) => host.startsWith('127.0.0.1'),
};

interface Scanned {
  forwarded: string;
  verdict?: ScanVerdict;
  scanner: RequestScanner;
}

/** Feeds `chunks` and collects what passes; stops at the first verdict like the front door does. */
function scan(chunks: readonly (string | Buffer)[]): Scanned {
  const scanner = new RequestScanner(policy);
  const parts: Buffer[] = [];
  let verdict: ScanVerdict | undefined;
  for (const chunk of chunks) {
    const output = scanner.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
    parts.push(...output.forward);
    verdict ??= output.verdict;
  }
  return { forwarded: Buffer.concat(parts).toString('latin1'), verdict, scanner };
}

/** The same stream cut at every byte boundary, and byte by byte: the result must not depend on how TCP splits it. */
function expectSplitInvariant(stream: string): Scanned {
  const whole = scan([stream]);
  for (let cut = 1; cut < stream.length; cut++) {
    const split = scan([stream.slice(0, cut), stream.slice(cut)]);
    expect(split.forwarded, `cut at ${cut}`).toBe(whole.forwarded);
    expect(split.verdict, `cut at ${cut}`).toEqual(whole.verdict);
  }
  const bytes = scan([...stream]);
  expect(bytes.forwarded).toBe(whole.forwarded);
  expect(bytes.verdict).toEqual(whole.verdict);
  return whole;
}

const get = (path: string, headers: string[] = []) => [`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1:28789', ...headers, '', ''].join('\r\n');
const upgrade = (origin?: string) =>
  get('/', [
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ...(origin ? [`Origin: ${origin}`] : []),
  ]);
const post = (body: string, headers: string[] = []) =>
  [`POST /v1/chat/completions HTTP/1.1`, 'Host: 127.0.0.1', `Content-Length: ${Buffer.byteLength(body, 'latin1')}`, ...headers, '', body].join(
    '\r\n',
  );
const chunked = (parts: string[], headers: string[] = []) =>
  [`POST /upload HTTP/1.1`, 'Host: 127.0.0.1', 'Transfer-Encoding: chunked', ...headers, '', ''].join('\r\n') +
  parts.map((part) => `${part.length.toString(16)}\r\n${part}\r\n`).join('') +
  '0\r\nX-Trailer: yes\r\n\r\n';

describe('classifyStart', () => {
  it.each([
    ['', 'undecided'],
    ['G', 'undecided'],
    ['GET', 'undecided'],
    ['GET /', 'undecided'],
    ['GET / HTTP/1.', 'undecided'],
    ['GET / HTTP/1.1\r', 'undecided'],
    ['GET / HTTP/1.1\r\n', 'http'],
    ['GET / HTTP/1.0\n', 'http'],
    ['M-SEARCH * HTTP/1.1\r\n', 'http'],
    ['get /x HTTP/1.1\r\n', 'http'], // tokens are case-sensitive but any case is a token
    ['GET / HTTP/2.0\r\n', 'http'],
    ['\x16\x03\x01\x02\x00', 'not-http'], // TLS ClientHello
    ['{"type":"req"}', 'not-http'],
    ['GET  / HTTP/1.1\r\n', 'not-http'],
    ['GET / FTP/1.1\r\n', 'not-http'],
    ['GET / HTTPS', 'not-http'],
    ['HELLO world\n', 'not-http'],
  ])('%j → %s', (text, expected) => {
    expect(classifyStart(Buffer.from(text, 'latin1'))).toBe(expected);
  });
});

describe('framing of a request head', () => {
  const framing = (head: string) => {
    const parsed = parseHead(Buffer.from(head, 'latin1'));
    return parsed ? framingAfter(parsed) : 'invalid';
  };
  it.each([
    [get('/'), { kind: 'head' }],
    [upgrade(), { kind: 'opaque' }],
    [get('/', ['Upgrade: websocket']), { kind: 'head' }], // llhttp needs Connection: upgrade too
    [get('/', ['Connection: keep-alive, Upgrade', 'Upgrade: websocket']), { kind: 'opaque' }],
    ['CONNECT 127.0.0.1:443 HTTP/1.1\r\n\r\n', { kind: 'opaque' }],
    [post('x'.repeat(10)).replace(/x+$/, ''), { kind: 'body', remaining: 10 }],
    [get('/', ['Content-Length: 0']), { kind: 'head' }],
    [get('/', ['Content-Length: 7', 'Content-Length: 7']), { kind: 'body', remaining: 7 }],
    [get('/', ['Transfer-Encoding: gzip, chunked']), { kind: 'chunk-size' }],
    [get('/', ['Content-Length: 7', 'Content-Length: 8']), { kind: 'malformed', reason: 'an invalid Content-Length' }],
    [get('/', ['Content-Length: -1']), { kind: 'malformed', reason: 'an invalid Content-Length' }],
    [get('/', ['Content-Length: 1e3']), { kind: 'malformed', reason: 'an invalid Content-Length' }],
    [get('/', ['Transfer-Encoding: chunked', 'Content-Length: 3']), { kind: 'malformed', reason: 'both Transfer-Encoding and Content-Length' }],
    [get('/', ['Transfer-Encoding: chunked, gzip']), { kind: 'malformed', reason: 'a request body not ending in chunked encoding' }],
    [get('/', [' folded: value']), 'invalid'],
    [get('/', ['Bad Header: x']), 'invalid'],
    [get('/', ['NoColon']), 'invalid'],
  ])('%j → %j', (head, expected) => {
    expect(framing(head)).toEqual(expected);
  });
});

describe('RequestScanner', () => {
  it('passes a request without Origin unchanged, in any split', () => {
    const stream = get('/healthz');
    const result = expectSplitInvariant(stream);
    expect(result.forwarded).toBe(stream);
    expect(result.verdict).toBeUndefined();
    expect(result.scanner.decided).toBe(true);
  });

  it('passes loopback and allowed origins', () => {
    for (const origin of ['http://127.0.0.1:28789', 'https://ok.example']) {
      const stream = get('/', [`Origin: ${origin}`]);
      expect(scan([stream])).toMatchObject({ forwarded: stream, verdict: undefined });
    }
  });

  it('refuses a WebSocket upgrade from another origin and passes nothing of it', () => {
    const result = expectSplitInvariant(upgrade('https://evil.example'));
    expect(result.verdict).toEqual({ kind: 'refused', header: 'origin', value: 'https://evil.example' });
    expect(result.forwarded).toBe('');
  });

  it('refuses when any of several Origin headers is foreign', () => {
    expect(scan([get('/', ['Origin: https://ok.example', 'origin: https://evil.example'])]).verdict).toEqual({
      kind: 'refused',
      header: 'origin',
      value: 'https://evil.example',
    });
  });

  it('refuses a request addressed to a foreign Host (DNS rebinding: same-origin, so no Origin at all)', () => {
    const stream = get('/healthz').replace('Host: 127.0.0.1:28789', 'Host: rebind.evil.example:28789');
    const result = expectSplitInvariant(stream);
    expect(result.verdict).toEqual({ kind: 'refused', header: 'host', value: 'rebind.evil.example:28789' });
    expect(result.forwarded).toBe('');
  });

  it('checks Host on every keep-alive request too', () => {
    const first = get('/healthz');
    const result = expectSplitInvariant(first + get('/secret').replace('127.0.0.1:28789', 'evil.example'));
    expect(result.forwarded).toBe(first);
    expect(result.verdict).toEqual({ kind: 'refused', header: 'host', value: 'evil.example' });
  });

  it('after an allowed upgrade, everything is opaque WebSocket data', () => {
    const frames = `\x81\x05hello${get('/', ['Origin: https://evil.example'])}`;
    const stream = upgrade('http://127.0.0.1:28789') + frames;
    const result = expectSplitInvariant(stream);
    expect(result.forwarded).toBe(stream);
    expect(result.verdict).toBeUndefined();
    expect(result.scanner.opaque).toBe(true);
  });

  it('checks every request on a keep-alive connection: a later foreign Origin stops the stream at that request', () => {
    const first = get('/healthz');
    const stream = first + post('{"a":1}', ['Origin: https://evil.example']) + get('/after');
    const result = expectSplitInvariant(stream);
    expect(result.forwarded).toBe(first);
    expect(result.verdict).toEqual({ kind: 'refused', header: 'origin', value: 'https://evil.example' });
  });

  it('skips Content-Length bodies, even ones that look like requests', () => {
    const body = get('/', ['Origin: https://evil.example']);
    const stream = post(body) + get('/next', ['Origin: http://127.0.0.1:28789']) + post('', ['Origin: https://evil.example']);
    const result = expectSplitInvariant(stream);
    expect(result.forwarded).toBe(post(body) + get('/next', ['Origin: http://127.0.0.1:28789']));
    expect(result.verdict).toEqual({ kind: 'refused', header: 'origin', value: 'https://evil.example' });
  });

  it('skips chunked bodies and their trailers', () => {
    const upload = chunked(['hello ', get('/', ['Origin: https://evil.example']), 'x'.repeat(300)]);
    const stream = upload + get('/next') + get('/evil', ['Origin: https://evil.example']);
    const result = expectSplitInvariant(stream);
    expect(result.forwarded).toBe(upload + get('/next'));
    expect(result.verdict).toEqual({ kind: 'refused', header: 'origin', value: 'https://evil.example' });
  });

  it('tolerates empty lines between requests, as llhttp does', () => {
    const stream = `${post('ab')}\r\n${get('/x')}`;
    expect(expectSplitInvariant(stream)).toMatchObject({ forwarded: stream, verdict: undefined });
  });

  it('passes a stream that is not HTTP unchanged, whatever follows', () => {
    const tls = Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5]);
    const later = Buffer.from(get('/', ['Origin: https://evil.example']));
    const result = scan([tls, later]);
    expect(Buffer.from(result.forwarded, 'latin1').equals(Buffer.concat([tls, later]))).toBe(true);
    expect(result.verdict).toBeUndefined();
    expect(result.scanner.opaque).toBe(true);
    expect(expectSplitInvariant('HELLO there\nGET / HTTP/1.1\r\nOrigin: https://evil.example\r\n\r\n').verdict).toBeUndefined();
  });

  it.each([
    ['a malformed header line', get('/', ['Bad Header: x']), { kind: 'malformed', status: 400, reason: 'a malformed request head' }],
    ['obsolete line folding', get('/', ['X-A: 1', ' continued']), { kind: 'malformed', status: 400, reason: 'a malformed request head' }],
    [
      'conflicting lengths',
      get('/', ['Content-Length: 1', 'Transfer-Encoding: chunked']),
      { kind: 'malformed', status: 400, reason: 'both Transfer-Encoding and Content-Length' },
    ],
    ['a bad chunk size', `${chunked([]).replace('0\r\n', 'zz\r\n')}`, { kind: 'malformed', status: 400, reason: 'an invalid chunk size' }],
    [
      'chunk data longer than announced',
      chunked(['abc']).replace('3\r\nabc', '3\r\nabcd'),
      { kind: 'malformed', status: 400, reason: 'chunk data longer than its size' },
    ],
  ])('refuses %s', (_name, stream, verdict) => {
    expect(expectSplitInvariant(stream).verdict).toEqual(verdict);
  });

  it('bounds a head: past 64 KiB without its end → 431, nothing passed', () => {
    const huge = `GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(70 * 1024)}`;
    expect(scan([huge])).toMatchObject({ forwarded: '', verdict: { kind: 'malformed', status: 431 } });
    expect(scan([`GET /${'a'.repeat(70 * 1024)}`])).toMatchObject({ forwarded: '', verdict: { kind: 'malformed', status: 431 } });
  });

  it('is undecided and silent until the first bytes arrive; passOpaque() releases a partial head', () => {
    const scanner = new RequestScanner(policy);
    expect(scanner.silent).toBe(true);
    expect(scanner.decided).toBe(false);
    const output = scanner.push(Buffer.from('GET / HT'));
    expect(output.forward).toEqual([]);
    expect(scanner.silent).toBe(false);
    expect(scanner.startedAsHttp).toBe(true);
    expect(Buffer.concat(scanner.passOpaque()).toString()).toBe('GET / HT');
    expect(scanner.opaque).toBe(true);
  });

  describe('replayable (safe to send to the next generation if the gateway closes without answering)', () => {
    it.each([
      ['a GET', [get('/healthz')], true],
      ['a HEAD', [get('/').replace('GET', 'HEAD')], true],
      ['a WebSocket upgrade before any frame', [upgrade('http://127.0.0.1:28789')], true],
      ['a WebSocket upgrade followed by a frame', [upgrade(), '\x81\x02hi'], false],
      ['a POST', [post('{}')], false],
      ['a GET with a body', [get('/', ['Content-Length: 2']) + 'ab'], false],
      ['two pipelined GETs', [get('/a') + get('/b')], false],
      ['a GET and half of the next head', [get('/a') + 'GET /b HT'], true], // the half head is not passed yet
      ['nothing yet', [''], false],
      ['not HTTP', ['\x16\x03\x01'], false],
    ])('%s → %s', (_name, chunks, expected) => {
      expect(scan(chunks).scanner.replayable).toBe(expected);
    });
  });
});
