import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { readSocketInodes } from '../../electron/core/process/procfs';
import { formatIpv6, parseProcNetTcp, readTcpTable, type TcpSocket } from '../../electron/core/sockets/tcp-table';
import { freePort } from '../helpers/ports';
import { waitFor } from '../helpers/wait';

const HEADER4 = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const HEADER6 =
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const row = (sl: number, local: string, remote: string, state: string, inode: number): string =>
  `  ${sl}: ${local} ${remote} ${state} 00000000:00000000 00:00000000 00000000  1000        0 ${inode} 1 0000000000000000 100 0 0 10 0`;

const socket = (
  localAddress: string,
  localPort: number,
  remoteAddress: string,
  remotePort: number,
  state: TcpSocket['state'],
  inode: number,
  family: 4 | 6 = 4,
): TcpSocket => ({ family, localAddress, localPort, remoteAddress, remotePort, state, inode });

describe('parseProcNetTcp', () => {
  test.each<[string, string, 4 | 6, boolean, TcpSocket[]]>([
    [
      'LISTEN on 127.0.0.1:28789 (little-endian host)',
      [HEADER4, row(0, '0100007F:7075', '00000000:0000', '0A', 1001)].join('\n'),
      4,
      true,
      [socket('127.0.0.1', 28789, '0.0.0.0', 0, 'LISTEN', 1001)],
    ],
    [
      'the same on a big-endian host',
      row(0, '7F000001:7075', '00000000:0000', '0A', 1001),
      4,
      false,
      [socket('127.0.0.1', 28789, '0.0.0.0', 0, 'LISTEN', 1001)],
    ],
    [
      'a connection in every interesting state',
      [
        HEADER4,
        row(0, '0100007F:7075', '0100007F:C3A6', '01', 11),
        row(1, '0100007F:C3A6', '0100007F:7075', '05', 12),
        row(2, '0100007F:7075', '0100007F:C3A7', '06', 0),
        row(3, '0100007F:7075', '0100007F:C3A8', '08', 14),
        row(4, '0100007F:C3A9', '0100007F:7075', '0c', 0),
      ].join('\n'),
      4,
      true,
      [
        socket('127.0.0.1', 28789, '127.0.0.1', 50086, 'ESTABLISHED', 11),
        socket('127.0.0.1', 50086, '127.0.0.1', 28789, 'FIN_WAIT2', 12),
        socket('127.0.0.1', 28789, '127.0.0.1', 50087, 'TIME_WAIT', 0),
        socket('127.0.0.1', 28789, '127.0.0.1', 50088, 'CLOSE_WAIT', 14),
        socket('127.0.0.1', 50089, '127.0.0.1', 28789, 'SYN_RECV', 0),
      ],
    ],
    [
      'IPv6: ::1, an IPv4-mapped peer, a link-local address',
      [
        HEADER6,
        row(0, '00000000000000000000000001000000:7075', '00000000000000000000000000000000:0000', '0A', 21),
        row(1, '0000000000000000FFFF00000100007F:7075', '0000000000000000FFFF00000100007F:C3A6', '01', 22),
        row(2, '000080FE000000000000000001000000:0016', '000080FE00000000000000000200000A:D431', '01', 23),
      ].join('\n'),
      6,
      true,
      [
        socket('::1', 28789, '::', 0, 'LISTEN', 21, 6),
        socket('::ffff:127.0.0.1', 28789, '::ffff:127.0.0.1', 50086, 'ESTABLISHED', 22, 6),
        socket('fe80::1', 22, 'fe80::a00:2', 54321, 'ESTABLISHED', 23, 6),
      ],
    ],
    [
      'garbage lines, unknown states and short lines are skipped',
      [
        '',
        'not a table',
        row(0, '0100007F:7075', '00000000:0000', 'FF', 1),
        row(1, 'XYZ:7075', '00000000:0000', '0A', 1),
        '  2: 0100007F:7075 00000000:0000 0A',
        row(3, '0100007F:7075', '00000000:0000', '0A', 5),
      ].join('\n'),
      4,
      true,
      [socket('127.0.0.1', 28789, '0.0.0.0', 0, 'LISTEN', 5)],
    ],
    ['an IPv6 address in the IPv4 table is rejected', row(0, '00000000000000000000000001000000:7075', '00000000:0000', '0A', 1), 4, true, []],
  ])('%s', (_, text, family, littleEndian, expected) => {
    expect(parseProcNetTcp(text, family, littleEndian)).toEqual(expected);
  });
});

describe('formatIpv6 (RFC 5952)', () => {
  const bytes = (...groups: number[]): number[] => groups.flatMap((group) => [group >> 8, group & 0xff]);
  test.each([
    [bytes(0, 0, 0, 0, 0, 0, 0, 0), '::'],
    [bytes(0, 0, 0, 0, 0, 0, 0, 1), '::1'],
    [bytes(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), '2001:db8::1'],
    [bytes(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1), '2001:db8:0:1:1:1:1:1'], // a single zero group stays
    [bytes(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1), '2001:db8::1:0:0:1'], // equal runs: the first is shortened
    [bytes(0x2001, 0, 0, 1, 0, 0, 0, 1), '2001:0:0:1::1'], // the longest run wins
    [bytes(1, 0, 0, 0, 0, 0, 0, 0), '1::'],
    [bytes(0, 0, 0, 0, 0, 0xffff, 0xc0a8, 0x0001), '::ffff:192.168.0.1'],
  ])('%j → %s', (input, text) => {
    expect(formatIpv6(input)).toBe(text);
  });
});

describe('readTcpTable (Linux, for real)', () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => cleanup.splice(0).forEach((close) => close()));

  async function pair(host: string): Promise<{ port: number; client: net.Socket }> {
    const port = await freePort();
    const server = net.createServer((accepted) => cleanup.push(() => accepted.destroy()));
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    cleanup.push(() => server.close());
    const client = net.connect({ host, port });
    cleanup.push(() => client.destroy());
    await new Promise((resolve) => client.once('connect', resolve));
    return { port, client };
  }

  test.each([
    ['127.0.0.1', 4],
    ['::1', 6],
  ] as const)('sees LISTEN and both ends of an ESTABLISHED pair on %s, held by this process', async (host, family) => {
    const { port, client } = await pair(host);
    const ours = await readSocketInodes(process.pid);
    const table = await waitFor(async () => {
      const sockets = await readTcpTable();
      return sockets.filter((s) => s.localPort === port || s.remotePort === port).length >= 3 ? sockets : undefined;
    });
    const listener = table.find((s) => s.state === 'LISTEN' && s.localPort === port);
    const clientEnd = table.find((s) => s.state === 'ESTABLISHED' && s.localPort === client.localPort && s.remotePort === port);
    const serverEnd = table.find((s) => s.state === 'ESTABLISHED' && s.localPort === port && s.remotePort === client.localPort);
    for (const end of [listener, clientEnd, serverEnd]) {
      expect(end).toMatchObject({ family, localAddress: host });
      expect(ours.has(end!.inode)).toBe(true);
    }
    expect(clientEnd!.remoteAddress).toBe(host);
  });
});
