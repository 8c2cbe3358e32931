import { describe, expect, it } from 'vitest';
import { canonicalOrigin, isHostAllowed, isLoopbackOrigin, isOriginAllowed } from '../../electron/core/frontdoor/origin-policy';

describe('isOriginAllowed', () => {
  const allowed = ['https://control.example.com', 'http://LAN-Box.local:8080'];
  it.each([
    // loopback pages, any port, both schemes
    ['http://127.0.0.1', true],
    ['http://127.0.0.1:28789', true],
    ['https://localhost:5173', true],
    ['http://[::1]:3000', true],
    ['HTTP://LOCALHOST', true],
    // what browsers never send but URL parsing normalises the same way they do
    ['http://127.1:80', true],
    // allowed in settings: compared canonically (case, default port)
    ['https://control.example.com', true],
    ['https://control.example.com:443', true],
    ['http://lan-box.local:8080', true],
    // not allowed
    ['https://evil.example', false],
    ['http://control.example.com', false], // other scheme
    ['https://control.example.com:8443', false], // other port
    ['http://lan-box.local', false],
    ['http://127.0.0.2', false], // only 127.0.0.1 counts as loopback here
    ['http://localhost.evil.example', false],
    ['http://127.0.0.1.nip.io', false],
    ['http://127.0.0.1@evil.example', false], // userinfo, host is evil.example
    ['null', false], // sandboxed frames, file:// pages
    ['file://', false],
    ['chrome-extension://abcdef', false],
    ['', false],
    ['not a url', false],
  ])('%j → %s', (origin, expected) => {
    expect(isOriginAllowed(origin, allowed)).toBe(expected);
  });

  it('allows nothing but loopback with an empty list', () => {
    expect(isOriginAllowed('https://control.example.com', [])).toBe(false);
    expect(isOriginAllowed('http://localhost:1', [])).toBe(true);
  });

  it('ignores unusable entries in the allowed list', () => {
    expect(isOriginAllowed('https://evil.example', ['not a url', 'null'])).toBe(false);
  });
});

describe('isLoopbackOrigin / canonicalOrigin', () => {
  it.each([
    ['http://[::1]', true],
    ['ws://127.0.0.1', false], // Origin is always http(s)
    ['https://127.0.0.1:1', true],
  ])('%j loopback → %s', (origin, expected) => expect(isLoopbackOrigin(origin)).toBe(expected));

  it.each([
    ['HTTPS://Example.COM:443', 'https://example.com'],
    ['http://example.com:80', 'http://example.com'],
    ['http://example.com:8080', 'http://example.com:8080'],
    ['ftp://example.com', undefined],
    ['null', undefined],
  ])('%j → %j', (text, expected) => expect(canonicalOrigin(text)).toBe(expected));
});

describe('isHostAllowed (DNS rebinding)', () => {
  const allowed = ['https://gw.example.ts.net', 'not an origin'];
  it.each([
    ['127.0.0.1:28789', true],
    ['127.0.0.1', true],
    ['127.0.0.2:80', true], // all of 127/8 is loopback
    ['localhost:28789', true],
    ['LOCALHOST:5', true],
    ['[::1]:28789', true],
    ['[::1]', true],
    ['app.localhost:3000', true], // browsers resolve *.localhost to loopback themselves
    ['gw.example.ts.net', true], // the host of an allowed origin (a tailnet / reverse proxy name)
    ['GW.example.ts.net:443', true],
    ['evil.example', false], // a rebound name: the page's own site
    ['evil.example:28789', false],
    ['127.0.0.1.evil.example', false],
    ['localhost.evil.example', false],
    ['0.0.0.0:28789', false],
    ['[::ffff:127.0.0.1]:1', false],
    ['192.168.1.10:28789', false],
    ['127.0.0.1:99999', false],
    ['evil.example/x', false],
    ['a@127.0.0.1', false],
    ['', false],
  ])('Host %j → %s', (host, expected) => {
    expect(isHostAllowed(host, allowed)).toBe(expected);
  });

  it('with no allowed origins only loopback names pass', () => {
    expect(isHostAllowed('gw.example.ts.net', [])).toBe(false);
    expect(isHostAllowed('localhost:1', [])).toBe(true);
  });
});
