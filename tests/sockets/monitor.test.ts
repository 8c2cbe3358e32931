import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { closeWaitWarning, sampleSockets, tallySockets, type OwnedSocket } from '../../electron/core/sockets/monitor';
import { freePort } from '../helpers/ports';
import { waitFor } from '../helpers/wait';
import { killTracked, startNode } from '../process/node-scripts';

describe('tallySockets', () => {
  const s = (localPort: number, remotePort: number, state: OwnedSocket['state'], owner: OwnedSocket['owner']): OwnedSocket => ({
    localPort,
    remotePort,
    state,
    owner,
  });
  test.each<[string, OwnedSocket[], ReturnType<typeof tallySockets>]>([
    [
      'splits by owner and state, by local or remote port',
      [
        s(28789, 0, 'LISTEN', 'gateway'),
        s(28789, 50001, 'ESTABLISHED', 'gateway'),
        s(50001, 28789, 'ESTABLISHED', 'ours'),
        s(28789, 50002, 'CLOSE_WAIT', 'gateway'),
        s(50002, 28789, 'FIN_WAIT2', 'ours'),
      ],
      { ourSide: { ESTABLISHED: 1, FIN_WAIT2: 1 }, gatewaySide: { LISTEN: 1, ESTABLISHED: 1, CLOSE_WAIT: 1 } },
    ],
    [
      'ignores other ports, unowned sockets (TIME_WAIT orphans, other processes) and unknown states',
      [
        s(28790, 50003, 'ESTABLISHED', 'ours'),
        s(28789, 50004, 'TIME_WAIT', undefined),
        s(50005, 28789, 'ESTABLISHED', undefined),
        s(28789, 50006, undefined, 'gateway'),
      ],
      { ourSide: {}, gatewaySide: {} },
    ],
  ])('%s', (_, sockets, expected) => {
    expect(tallySockets(sockets, 28789)).toEqual(expected);
  });
});

describe('closeWaitWarning', () => {
  test.each([
    ['none', {}, 3, undefined],
    ['below the threshold', { CLOSE_WAIT: 2, ESTABLISHED: 4 }, 3, undefined],
    [
      'at the threshold',
      { ESTABLISHED: 2, CLOSE_WAIT: 3 },
      3,
      'The gateway is not closing connections: 3 sockets in CLOSE_WAIT on port 28789 (gateway side: ESTABLISHED 2, CLOSE_WAIT 3).',
    ],
    [
      'threshold 1',
      { CLOSE_WAIT: 1 },
      1,
      'The gateway is not closing connections: 1 sockets in CLOSE_WAIT on port 28789 (gateway side: CLOSE_WAIT 1).',
    ],
  ])('%s', (_, gatewaySide, threshold, warning) => {
    expect(closeWaitWarning(28789, gatewaySide, threshold)).toBe(warning);
  });
});

describe('sampleSockets (Linux, for real)', () => {
  const clients: net.Socket[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
    killTracked();
  });

  async function connectClients(port: number, count: number): Promise<void> {
    for (let i = 0; i < count; i += 1) {
      const client = net.connect({ host: '127.0.0.1', port });
      client.on('error', () => {});
      clients.push(client);
      await new Promise((resolve) => client.once('connect', resolve));
    }
  }

  test('a gateway that never closes accepted sockets: CLOSE_WAIT on its side, FIN_WAIT2 on ours, and a warning', async () => {
    const port = await freePort();
    // Accepts and holds every connection, never closing its half (a leaking or hung gateway).
    const gateway = startNode(
      `const held = [];
       require('node:net').createServer({ allowHalfOpen: true }, (socket) => { socket.on('error', () => {}); held.push(socket); })
         .listen(Number(process.argv[1]), '127.0.0.1', () => console.log('ready'));`,
      [String(port)],
    );
    await gateway.line(/ready/);
    await connectClients(port, 4);
    const sample = (): ReturnType<typeof sampleSockets> => sampleSockets({ port, ourPid: process.pid, gatewayPids: [gateway.pid] });

    const open = await waitFor(async () => {
      const report = await sample();
      return report.gatewaySide.ESTABLISHED === 4 ? report : undefined;
    });
    expect(open).toMatchObject({ port, ourSide: { ESTABLISHED: 4 }, gatewaySide: { LISTEN: 1, ESTABLISHED: 4 } });
    expect(open.warning).toBeUndefined();

    for (const client of clients) client.end(); // we close; the gateway never does
    const leaking = await waitFor(async () => {
      const report = await sample();
      return report.gatewaySide.CLOSE_WAIT === 4 ? report : undefined;
    });
    expect(leaking.ourSide).toEqual({ FIN_WAIT2: 4 });
    expect(leaking.gatewaySide).toEqual({ LISTEN: 1, CLOSE_WAIT: 4 });
    expect(leaking.warning).toBe(
      `The gateway is not closing connections: 4 sockets in CLOSE_WAIT on port ${port} (gateway side: LISTEN 1, CLOSE_WAIT 4).`,
    );
    expect(Math.abs(leaking.sampledAt - Date.now())).toBeLessThan(5_000);
  });

  test('a gateway that closes properly: no CLOSE_WAIT, no warning; the closing side keeps only unowned TIME_WAIT', async () => {
    const port = await freePort();
    const gateway = startNode(
      `require('node:net').createServer((socket) => socket.on('error', () => {}))
         .listen(Number(process.argv[1]), '127.0.0.1', () => console.log('ready'));`,
      [String(port)],
    );
    await gateway.line(/ready/);
    await connectClients(port, 3);
    for (const client of clients) client.end();
    const report = await waitFor(async () => {
      const sample = await sampleSockets({ port, ourPid: process.pid, gatewayPids: [gateway.pid] });
      return Object.keys(sample.ourSide).length === 0 && sample.gatewaySide.ESTABLISHED === undefined ? sample : undefined;
    });
    expect(report.gatewaySide).toEqual({ LISTEN: 1 });
    expect(report.warning).toBeUndefined();
  });

  test('the gateway side is every pid given (its tree); other processes on the port count for nobody', async () => {
    const port = await freePort();
    const gateway = startNode(
      `require('node:net').createServer((socket) => socket.on('error', () => {}))
         .listen(Number(process.argv[1]), '127.0.0.1', () => console.log('ready'));`,
      [String(port)],
    );
    await gateway.line(/ready/);
    const stranger = startNode(`require('node:net').connect({ host: '127.0.0.1', port: Number(process.argv[1]) }, () => console.log('connected'));`, [
      String(port),
    ]);
    await stranger.line(/connected/);
    const sample = (gatewayPids: number[]): ReturnType<typeof sampleSockets> => sampleSockets({ port, ourPid: process.pid, gatewayPids });

    const gatewayOnly = await waitFor(async () => {
      const report = await sample([gateway.pid]);
      return report.gatewaySide.ESTABLISHED === 1 ? report : undefined;
    });
    expect(gatewayOnly.ourSide).toEqual({});
    expect(gatewayOnly.gatewaySide).toEqual({ LISTEN: 1, ESTABLISHED: 1 });
    // Counted as part of the gateway's tree, the stranger's end joins the gateway side.
    expect((await sample([gateway.pid, stranger.pid])).gatewaySide).toEqual({ LISTEN: 1, ESTABLISHED: 2 });
    expect((await sample([])).gatewaySide).toEqual({});
  });

  test('bad input is a clear error', async () => {
    await expect(sampleSockets({ port: 0, ourPid: process.pid, gatewayPids: [] })).rejects.toThrow(/not a TCP port/);
  });
});
