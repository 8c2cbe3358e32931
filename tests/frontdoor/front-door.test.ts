// The front door with real sockets against plain HTTP / WebSocket / TCP upstreams in this process.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FrontDoorListenError, createFrontDoor } from '../../electron/core/frontdoor';
import { readTcpTable } from '../../electron/core/sockets/tcp-table';
import type { TcpStateCounts } from '../../electron/core/status';
import { activeResources, ourSockets } from '../helpers/resources';
import { freePort } from '../helpers/ports';
import { waitFor } from '../helpers/wait';
import { closeAllDoors, closeWs, echo, httpGet, openDoor, rawExchange, startUpstream, wsOpen, type Upstream } from './helpers';

const upstreams: Upstream[] = [];

/** Socket states of ours other than the listeners. */
function withoutListeners(states: TcpStateCounts): TcpStateCounts {
  const { LISTEN: _listeners, ...rest } = states;
  return rest;
}
const rawServers: net.Server[] = [];

async function upstream(port?: number): Promise<Upstream> {
  const started = await startUpstream(port);
  upstreams.push(started);
  return started;
}

/** A raw TCP server; `onSocket` decides what it does with each connection. */
async function rawServer(onSocket: (socket: net.Socket) => void, port?: number): Promise<{ port: number; sockets: net.Socket[] }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    onSocket(socket);
  });
  rawServers.push(server);
  const listenPort = port ?? (await freePort());
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', () => resolve()));
  return { port: listenPort, sockets };
}

afterEach(async () => {
  await closeAllDoors();
  await Promise.all(upstreams.splice(0).map((server) => server.close()));
  for (const server of rawServers.splice(0)) {
    server.close();
  }
});

describe('piping', () => {
  it('pipes HTTP and WebSocket, on 127.0.0.1 and ::1, and counts them', async () => {
    const gateway = await upstream();
    const door = await openDoor();
    door.setTarget(gateway.port);

    expect(await httpGet(door.port, '/healthz')).toMatchObject({ status: 200, body: `${gateway.port} /healthz` });
    const ws = await wsOpen(door.port);
    if (!ws.open) throw new Error(`WebSocket refused: ${JSON.stringify(ws)}`);
    expect(await echo(ws.ws, 'ping')).toBe('ping');
    // A 1 MiB message crosses in many TCP segments, both ways.
    const big = 'x'.repeat(1 << 20);
    expect(await echo(ws.ws, big)).toBe(big);
    expect(door.status()).toMatchObject({ listenPort: door.port, internalPort: gateway.port, pipedConnections: 1, heldConnections: 0 });

    const v6 = await wsOpen(door.port, undefined, '::1').catch(() => undefined);
    if (v6?.open) {
      expect(await echo(v6.ws, 'over ipv6')).toBe('over ipv6');
      await closeWs(v6.ws);
    } else {
      expect(door.logs.some((line) => line.message.includes('[::1]'))).toBe(false); // no IPv6 on this host
    }
    await closeWs(ws.ws);
    await waitFor(() => door.status().pipedConnections === 0, { what: 'pairs closed' });
    expect(door.status().pipedTotal).toBeGreaterThanOrEqual(2);
  });

  it('passes a non-HTTP stream as-is, and a silent client after the peek timeout', async () => {
    const echoServer = await rawServer((socket) => {
      socket.write('hello from upstream\n');
      socket.pipe(socket);
    });
    const door = await openDoor({ peekTimeoutMs: 200 });
    door.setTarget(echoServer.port);

    const binary = rawExchange(door.port, '\x00\x01\x02binary');
    await waitFor(() => echoServer.sockets.length === 1, { what: 'upstream connection' });
    binary.socket.end();
    expect((await binary.done).received).toBe('hello from upstream\n\x00\x01\x02binary');

    // A client that waits for the server to speak first is passed on once the peek gives up.
    const silent = rawExchange(door.port);
    await waitFor(() => echoServer.sockets.length === 2, { what: 'silent client passed on' });
    silent.socket.end();
    const outcome = await silent.done;
    expect(outcome).toMatchObject({ received: 'hello from upstream\n', ending: 'end' });
    expect(outcome.ms).toBeGreaterThanOrEqual(190);
  });

  it('answers bad or slow first request heads itself and closes cleanly', async () => {
    const gateway = await upstream();
    const door = await openDoor({ peekTimeoutMs: 300 });
    door.setTarget(gateway.port);

    const slow = rawExchange(door.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    expect(await slow.done).toMatchObject({ ending: 'end', received: expect.stringMatching(/^HTTP\/1\.1 408 /) });
    const malformed = rawExchange(door.port, 'GET / HTTP/1.1\r\nBad Header: x\r\n\r\n');
    expect(await malformed.done).toMatchObject({ ending: 'end', received: expect.stringMatching(/^HTTP\/1\.1 400 /) });
    expect(gateway.connections()).toBe(0);
  });
});

describe('holding', () => {
  it('holds connections while there is no target and releases them in arrival order on setTarget', async () => {
    const gateway = await upstream();
    const door = await openDoor();
    const requests: Array<ReturnType<typeof httpGet>> = [];
    for (const path of ['/first', '/second', '/third']) {
      requests.push(httpGet(door.port, path));
      await waitFor(() => door.status().heldConnections === requests.length, { what: `${path} held` });
    }
    const socket = wsOpen(door.port);
    await waitFor(() => door.status().heldConnections === 4, { what: 'WebSocket held' });
    const heldFor = 400;
    await new Promise((resolve) => setTimeout(resolve, heldFor));
    door.setTarget(gateway.port);

    const outcomes = await Promise.all(requests);
    for (const [index, path] of ['/first', '/second', '/third'].entries()) {
      expect(outcomes[index]).toMatchObject({ status: 200, body: `${gateway.port} ${path}` });
      expect((outcomes[index] as { ms: number }).ms).toBeGreaterThanOrEqual(heldFor);
    }
    expect(gateway.requests.slice(0, 3)).toEqual(['GET /first -', 'GET /second -', 'GET /third -']);
    const ws = await socket;
    if (!ws.open) throw new Error('held WebSocket was not released');
    expect(await echo(ws.ws, 'after hold')).toBe('after hold');
    await closeWs(ws.ws);
    expect(door.status()).toMatchObject({ heldConnections: 0, heldTotal: 4, heldExpired: 0, refusedOrigins: 0 });
    expect(door.status().longestHoldMs).toBeGreaterThanOrEqual(heldFor);
  });

  it('blue/green: hold() and setTarget() move new connections while existing ones stay with their generation', async () => {
    const blue = await upstream();
    const green = await upstream();
    const door = await openDoor();
    door.setTarget(blue.port);
    const old = await wsOpen(door.port);
    if (!old.open) throw new Error('no WebSocket');

    door.hold();
    const during = httpGet(door.port, '/during-switch');
    await waitFor(() => door.status().heldConnections === 1, { what: 'held during the switch' });
    expect(await echo(old.ws, 'still blue')).toBe('still blue'); // piped connections keep flowing while held
    door.setTarget(green.port);

    expect(await during).toMatchObject({ status: 200, body: `${green.port} /during-switch` });
    expect(await httpGet(door.port, '/next')).toMatchObject({ status: 200, body: `${green.port} /next` });
    expect(await echo(old.ws, 'blue drains')).toBe('blue drains');
    expect(blue.requests).toEqual(['WS / -']);
    // The old generation stops: its sessions end, the new one is not affected.
    const closed = new Promise((resolve) => old.ws.once('close', resolve));
    await blue.close();
    upstreams.splice(upstreams.indexOf(blue), 1);
    await closed;
    expect(await httpGet(door.port, '/after')).toMatchObject({ status: 200, body: `${green.port} /after` });
  });

  it('drained(): a generation still owing a first answer is not drained; once it answers, it is', async () => {
    let answer: (() => void) | undefined;
    const slow = await rawServer((socket) => {
      socket.once('data', () => (answer = () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\nslow')));
    });
    const next = await upstream();
    const door = await openDoor();
    door.setTarget(slow.port);
    const request = httpGet(door.port, '/slow');
    await waitFor(() => answer, { what: 'request at the old generation' });
    door.setTarget(next.port);
    expect(await door.drained(slow.port, 200)).toBe(false);
    expect(await door.drained(next.port, 200)).toBe(true);
    answer!();
    expect(await door.drained(slow.port, 5_000)).toBe(true);
    expect(await request).toMatchObject({ status: 200, body: 'slow' });
  });

  it('past the hold time bound, held connections are closed cleanly (503 for HTTP, FIN otherwise) and counted', async () => {
    const door = await openDoor({ holdTimeoutMs: 300 });
    const http = httpGet(door.port, '/too-late');
    const raw = rawExchange(door.port, '\x00binary');
    const [httpOutcome, rawOutcome] = await Promise.all([http, raw.done]);
    expect(httpOutcome).toMatchObject({ status: 503, body: expect.stringContaining('restarting') });
    expect(httpOutcome.ms).toBeGreaterThanOrEqual(290);
    expect(rawOutcome).toMatchObject({ ending: 'end', received: '' });
    expect(door.status()).toMatchObject({ heldConnections: 0, heldTotal: 2, heldExpired: 2 });
  });

  it('past maxHeld, new connections are closed cleanly on arrival and counted; held ones still get through', async () => {
    const gateway = await upstream();
    const door = await openDoor({ maxHeld: 2 });
    const first = httpGet(door.port, '/1');
    const second = httpGet(door.port, '/2');
    await waitFor(() => door.status().heldConnections === 2, { what: 'two held' });
    const third = rawExchange(door.port, 'GET /3 HTTP/1.1\r\n\r\n');
    expect(await third.done).toMatchObject({ ending: 'end', received: '' });
    expect(door.status().heldRejected).toBe(1);
    door.setTarget(gateway.port);
    expect(await first).toMatchObject({ status: 200 });
    expect(await second).toMatchObject({ status: 200 });
  });

  it('a target that refuses (its in-process restart closed the port): connections are held and retried, never refused', async () => {
    const port = await freePort();
    const door = await openDoor();
    door.setTarget(port); // nothing listens there yet
    const pending = httpGet(door.port, '/while-down');
    await waitFor(() => door.status().heldConnections === 1, { what: 'held after a refused connect' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await upstream(port);
    const outcome = await pending;
    expect(outcome).toMatchObject({ status: 200, body: `${port} /while-down` });
    expect(outcome.ms).toBeGreaterThanOrEqual(300);
    // Recovery is quick: the retry backoff is capped at 50 ms.
    expect(outcome.ms).toBeLessThan(300 + 1_000);
    expect(door.logs.map((line) => line.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`gateway port ${port} refused a connect (ECONNREFUSED)`),
        expect.stringContaining(`gateway port ${port} answers again`),
      ]),
    );
  });

  it('a safe request whose gateway closes without answering is replayed to the next generation; a POST is not', async () => {
    const green = await upstream();
    let door: Awaited<ReturnType<typeof openDoor>> | undefined;
    // A generation being stopped: it accepts, then closes without a word — and the switch happens.
    const dying = await rawServer((socket) => {
      socket.destroy();
      door!.setTarget(green.port);
    });
    door = await openDoor();
    door.setTarget(dying.port);
    expect(await httpGet(door.port, '/replayed')).toMatchObject({ status: 200, body: `${green.port} /replayed` });
    expect(green.requests).toEqual(['GET /replayed -']);

    door.setTarget(dying.port);
    const post = rawExchange(door.port, 'POST /once HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\nhi');
    const outcome = await post.done;
    expect(outcome.received).toBe(''); // closed without an answer, as the gateway did
    expect(green.requests).toEqual(['GET /replayed -']); // never sent twice
  });
});

describe('browser protection', () => {
  it('refuses a WebSocket upgrade and an HTTP request from a foreign origin with 403, logged once per origin', async () => {
    const gateway = await upstream();
    const door = await openDoor({ allowedOrigins: () => ['https://ok.example'] });
    door.setTarget(gateway.port);

    expect(await wsOpen(door.port, 'https://evil.example')).toEqual({ open: false, status: 403 });
    const refused = await httpGet(door.port, '/v1/chat/completions', { Origin: 'https://evil.example' });
    expect(refused).toMatchObject({ status: 403, body: expect.stringContaining('Forbidden') });
    expect(await httpGet(door.port, '/', { Origin: 'null' })).toMatchObject({ status: 403 });
    expect(gateway.connections()).toBe(0); // nothing reached the gateway
    expect(door.status().refusedOrigins).toBe(3);
    expect(door.logs.filter((line) => line.message.includes('"https://evil.example"'))).toHaveLength(1);

    // Loopback pages, allowed origins and non-browser clients pass.
    const loopback = await wsOpen(door.port, `http://localhost:${door.port}`);
    if (!loopback.open) throw new Error('loopback origin refused');
    expect(await echo(loopback.ws, 'ok')).toBe('ok');
    await closeWs(loopback.ws);
    expect(await httpGet(door.port, '/a', { Origin: 'https://ok.example' })).toMatchObject({ status: 200 });
    expect(await httpGet(door.port, '/b', { Origin: 'http://[::1]:5173' })).toMatchObject({ status: 200 });
    expect(await httpGet(door.port, '/c')).toMatchObject({ status: 200 });
    expect(gateway.requests).toEqual([`WS / http://localhost:${door.port}`, 'GET /a https://ok.example', 'GET /b http://[::1]:5173', 'GET /c -']);
  });

  it("refuses a DNS-rebinding request (foreign Host, no Origin) with 403; an allowed origin's host passes", async () => {
    const gateway = await upstream();
    const door = await openDoor({ allowedOrigins: () => ['https://gw.example.ts.net'] });
    door.setTarget(gateway.port);

    // A page at rebind.evil.example whose name now resolves to 127.0.0.1: its fetch is same-origin.
    const rebound = rawExchange(door.port, `GET /v1/models HTTP/1.1\r\nHost: rebind.evil.example:${door.port}\r\n\r\n`);
    const outcome = await rebound.done;
    expect(outcome.received).toMatch(/^HTTP\/1\.1 403 Forbidden/);
    expect(gateway.connections()).toBe(0);
    expect(door.status().refusedOrigins).toBe(1);
    expect(
      door.logs.some(
        (line) => line.level === 'warn' && line.message.includes(`"rebind.evil.example:${door.port}"`) && line.message.includes('DNS rebinding'),
      ),
    ).toBe(true);

    expect(await httpGet(door.port, '/proxied', { Host: 'gw.example.ts.net' })).toMatchObject({ status: 200 });
    expect(await httpGet(door.port, '/local', { Host: `localhost:${door.port}` })).toMatchObject({ status: 200 });
    expect(gateway.requests).toEqual(['GET /proxied -', 'GET /local -']);
  });

  it('reads the allowed origins on every request, so a settings change applies at once', async () => {
    const gateway = await upstream();
    let allowed: string[] = [];
    const door = await openDoor({ allowedOrigins: () => allowed });
    door.setTarget(gateway.port);
    expect(await httpGet(door.port, '/', { Origin: 'https://team.example' })).toMatchObject({ status: 403 });
    allowed = ['https://team.example'];
    expect(await httpGet(door.port, '/', { Origin: 'https://team.example' })).toMatchObject({ status: 200 });
  });

  it('checks later requests on a keep-alive connection too: a foreign Origin is not forwarded, the connection ends cleanly', async () => {
    const gateway = await upstream();
    const door = await openDoor();
    door.setTarget(gateway.port);
    const client = rawExchange(door.port, 'GET /harmless HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await waitFor(() => gateway.requests.length === 1, { what: 'first request' });
    client.socket.write('POST /api HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example\r\nContent-Length: 2\r\n\r\nhi');
    const outcome = await client.done;
    expect(outcome.ending).toBe('end');
    expect(outcome.received).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*\/harmless$/);
    expect(gateway.requests).toEqual(['GET /harmless -']);
    expect(door.status().refusedOrigins).toBe(1);
  });
});

describe('socket hygiene', () => {
  it('a half-open pair (client finished, gateway silent) is reset after the half-open timeout, leaving no CLOSE_WAIT', async () => {
    let gatewaySide: net.Socket | undefined;
    const silent = await rawServer((socket) => {
      gatewaySide = socket;
      socket.resume(); // reads, never answers, never ends
    });
    const door = await openDoor({ halfOpenTimeoutMs: 300 });
    door.setTarget(silent.port);
    const client = rawExchange(door.port, '\x00request');
    await waitFor(() => gatewaySide && door.status().pipedConnections === 1, { what: 'pair piped' });
    const gatewayEnded = new Promise((resolve) => gatewaySide!.once('end', resolve));
    const finishedAt = performance.now();
    client.socket.end(); // FIN from the client…
    await gatewayEnded; // …passed on to the gateway at once
    const outcome = await client.done; // then the silent pair is aborted after the timeout
    const elapsed = performance.now() - finishedAt;
    expect(outcome.ending).toBe('ECONNRESET');
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(5_000);
    await waitFor(() => door.status().pipedConnections === 0, { what: 'pair forgotten' });
    // The reset leaves nothing behind on either port: no CLOSE_WAIT at the gateway, no FIN_WAIT2 of ours.
    expect(withoutListeners(await ourSockets([door.port, silent.port]))).toEqual({});
    const table = (await readTcpTable()).filter((socket) => socket.localPort === silent.port || socket.remotePort === silent.port);
    expect(table.filter((socket) => socket.state === 'CLOSE_WAIT' || socket.state === 'FIN_WAIT2')).toEqual([]);
  });

  it('a half-open pair the other way round (gateway finished, client silent) is reset too', async () => {
    const ender = await rawServer((socket) => socket.end('last words\n'));
    const door = await openDoor({ halfOpenTimeoutMs: 300 });
    door.setTarget(ender.port);
    // The client reads but never closes its side.
    const client = net.connect({ host: '127.0.0.1', port: door.port, allowHalfOpen: true });
    client.on('error', () => {});
    client.write('\x00hello');
    let received = '';
    client.on('data', (chunk: Buffer) => (received += chunk.toString()));
    await new Promise((resolve) => client.once('end', resolve));
    const endedAt = performance.now();
    expect(received).toBe('last words\n');
    await waitFor(() => door.status().pipedConnections === 0, { what: 'pair reset' });
    expect(performance.now() - endedAt).toBeGreaterThanOrEqual(250);
    expect(withoutListeners(await ourSockets([door.port, ender.port]))).toEqual({});
    // The client learns it on its next write: the door's side is gone.
    const failed = new Promise<string>((resolve) => client.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? '')));
    client.write('anyone there?');
    expect(await failed).toMatch(/ECONNRESET|EPIPE/);
  });

  it('when the gateway ends, the client is ended; an error on one side destroys both', async () => {
    const ender = await rawServer((socket) => socket.end('bye\n'));
    const door = await openDoor();
    door.setTarget(ender.port);
    const first = rawExchange(door.port, '\x00hi');
    expect(await first.done).toMatchObject({ received: 'bye\n', ending: 'end' });

    const resetter = await rawServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    door.setTarget(resetter.port);
    const second = rawExchange(door.port, '\x00hi');
    expect((await second.done).ending).toBe('ECONNRESET');
    await waitFor(() => door.status().pipedConnections === 0, { what: 'pairs gone' });
  });

  it('close() ends piped, held and undecided connections and leaves no socket, timer or handle', async () => {
    const baseline = activeResources();
    const gateway = await upstream();
    const door = createFrontDoor({ port: await freePort(), allowedOrigins: () => [], log: () => {} });
    await door.listen();
    door.setTarget(gateway.port);
    const piped = await wsOpen(door.status().listenPort);
    if (!piped.open) throw new Error('no WebSocket');
    door.hold();
    const held = httpGet(door.status().listenPort, '/held');
    const undecided = rawExchange(door.status().listenPort, 'GET / HT');
    await waitFor(() => door.status().heldConnections === 1, { what: 'held' });
    const pipedClosed = new Promise<number>((resolve) => piped.ws.once('close', (code) => resolve(code)));

    await door.close();
    expect(await held).toMatchObject({ status: 503 });
    expect(await undecided.done).toMatchObject({ ending: 'end' });
    expect(await pipedClosed).toBe(1006); // the TCP connection ended under the WebSocket
    await gateway.close();
    upstreams.splice(upstreams.indexOf(gateway), 1);
    await waitFor(
      () => {
        const now = activeResources();
        return ['TCPSocketWrap', 'TCPServerWrap', 'Timeout'].every((kind) => (now[kind] ?? 0) <= (baseline[kind] ?? 0));
      },
      { what: 'no handles left' },
    );
    expect(await httpGet(door.status().listenPort, '/')).toMatchObject({ error: 'ECONNREFUSED' });
  });
});

describe('listening and arguments', () => {
  it('a taken port fails listen() with a typed error naming the port', async () => {
    const port = await freePort();
    const squatter = net.createServer();
    rawServers.push(squatter);
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', () => resolve()));
    const door = createFrontDoor({ port, allowedOrigins: () => [], log: () => {} });
    const error = await door.listen().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FrontDoorListenError);
    expect(error).toMatchObject({ code: 'EADDRINUSE', port, address: '127.0.0.1' });
    expect((error as Error).message).toBe(`The front door cannot listen on 127.0.0.1:${port}: the port is in use by another process.`);
    await door.close();
  });

  it('a foreign listener on [::1] fails listen() too, and releases 127.0.0.1', async () => {
    const port = await freePort();
    const squatter = net.createServer();
    const hasIpv6 = await new Promise<boolean>((resolve) => {
      squatter.once('error', () => resolve(false));
      squatter.listen({ port, host: '::1', ipv6Only: true }, () => resolve(true));
    });
    if (!hasIpv6) return; // no IPv6 on this host: nothing to squat
    rawServers.push(squatter);
    const door = createFrontDoor({ port, allowedOrigins: () => [], log: () => {} });
    await expect(door.listen()).rejects.toMatchObject({ code: 'EADDRINUSE', address: '::1', port });
    expect(await httpGet(port, '/')).toMatchObject({ error: 'ECONNREFUSED' });
  });

  it('rejects bad numbers with clear errors', async () => {
    const log = () => {};
    await expect(createFrontDoor({ port: 0, allowedOrigins: () => [], log }).listen()).rejects.toThrow('not a TCP port: 0');
    expect(() => createFrontDoor({ port: 18000, allowedOrigins: () => [], log, holdTimeoutMs: -1 })).toThrow(
      'holdTimeoutMs must be a positive number, got -1',
    );
    const door = createFrontDoor({ port: 18000, allowedOrigins: () => [], log });
    expect(() => door.setTarget(70_000)).toThrow('not a TCP port: 70000');
    expect(() => door.setTarget(18000)).toThrow('the internal port must differ from the public port 18000');
  });
});
