// netstat on Windows and macOS, as fixtures (only Linux runs here).
import { describe, expect, test } from 'vitest';
import { parseMacNetstat, parseWindowsNetstat, type NetstatSocket } from '../../electron/core/sockets/netstat';

const entry = (
  localAddress: string,
  localPort: number,
  remoteAddress: string,
  remotePort: number,
  state: NetstatSocket['state'],
  pid: number | undefined,
): NetstatSocket => ({ localAddress, localPort, remoteAddress, remotePort, state, pid });

describe('parseWindowsNetstat (netstat -ano)', () => {
  test.each<[string, string, NetstatSocket[]]>([
    [
      'English: states mapped, IPv6 brackets removed, UDP skipped',
      [
        'Active Connections',
        '',
        '  Proto  Local Address          Foreign Address        State           PID',
        '  TCP    127.0.0.1:28789        0.0.0.0:0              LISTENING       4242',
        '  TCP    [::1]:28789            [::]:0                 LISTENING       4242',
        '  TCP    127.0.0.1:28789        127.0.0.1:50123        CLOSE_WAIT      4242',
        '  TCP    127.0.0.1:50123        127.0.0.1:28789        FIN_WAIT_2      999',
        '  TCP    127.0.0.1:50124        127.0.0.1:28789        TIME_WAIT       0',
        '  TCP    [fe80::1%7]:5000       [fe80::2%7]:443        SYN_SENT        12',
        '  UDP    0.0.0.0:5353           *:*                                    2044',
      ].join('\r\n'),
      [
        entry('127.0.0.1', 28789, '0.0.0.0', 0, 'LISTEN', 4242),
        entry('::1', 28789, '::', 0, 'LISTEN', 4242),
        entry('127.0.0.1', 28789, '127.0.0.1', 50123, 'CLOSE_WAIT', 4242),
        entry('127.0.0.1', 50123, '127.0.0.1', 28789, 'FIN_WAIT2', 999),
        entry('127.0.0.1', 50124, '127.0.0.1', 28789, 'TIME_WAIT', 0),
        entry('fe80::1%7', 5000, 'fe80::2%7', 443, 'SYN_SENT', 12),
      ],
    ],
    [
      'French: listeners still recognised by shape; other words unknown',
      [
        'Connexions actives',
        '',
        '  Proto  Adresse locale         Adresse distante       État           PID',
        '  TCP    127.0.0.1:28789        0.0.0.0:0              LISTENING      4242',
        '  TCP    127.0.0.1:28789        127.0.0.1:50123        ÉTABLIE        4242',
      ].join('\r\n'),
      [entry('127.0.0.1', 28789, '0.0.0.0', 0, 'LISTEN', 4242), entry('127.0.0.1', 28789, '127.0.0.1', 50123, undefined, 4242)],
    ],
    [
      'malformed rows are skipped',
      ['  TCP    127.0.0.1        0.0.0.0:0   LISTENING   1', '  TCP    127.0.0.1:1   0.0.0.0:0   LISTENING   x', '  TCP'].join('\r\n'),
      [],
    ],
  ])('%s', (_, text, expected) => {
    expect(parseWindowsNetstat(text)).toEqual(expected);
  });
});

const OLD_MAC_HEADER = 'Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)      rhiwat  shiwat    pid   epid state  options';
const NEW_MAC_HEADER =
  'Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)          rxbytes      txbytes  rhiwat  shiwat          process:pid    state  options';

describe('parseMacNetstat (netstat -anv -p tcp)', () => {
  test.each<[string, string, NetstatSocket[]]>([
    [
      'older releases: a bare pid column',
      [
        'Active Internet connections (including servers)',
        OLD_MAC_HEADER,
        'tcp4       0      0  127.0.0.1.28789        *.*                    LISTEN       131072  131072   4242      0 00100 00000006',
        'tcp6       0      0  ::1.28789              *.*                    LISTEN       131072  131072   4242      0 00100 00000006',
        'tcp4       0      0  127.0.0.1.28789        127.0.0.1.50123        CLOSE_WAIT   408241  146988   4242      0 00102 00000000',
        'tcp4       0      0  127.0.0.1.50123        127.0.0.1.28789        FIN_WAIT_2   408300  146988    999      0 00102 00000000',
        'udp4       0      0  *.5353                 *.*                                 786896    9216    200      0 00000 00000000',
      ].join('\n'),
      [
        entry('127.0.0.1', 28789, '*', 0, 'LISTEN', 4242),
        entry('::1', 28789, '*', 0, 'LISTEN', 4242),
        entry('127.0.0.1', 28789, '127.0.0.1', 50123, 'CLOSE_WAIT', 4242),
        entry('127.0.0.1', 50123, '127.0.0.1', 28789, 'FIN_WAIT2', 999),
      ],
    ],
    [
      'newer releases: process:pid, names with spaces',
      [
        'Active Internet connections (including servers)',
        NEW_MAC_HEADER,
        'tcp4       0      0  127.0.0.1.28789        127.0.0.1.50123        ESTABLISHED         4606      3816077  406208  146988    node:4242  00102 0000000c',
        'tcp4       0      0  127.0.0.1.50123        127.0.0.1.28789        ESTABLISHED      8237954         2199  513160  146988 Pincer Helper (R:999   00102 00000008',
        'tcp46      0      0  *.28790                *.*                    LISTEN                 0            0  131072  131072    node:77    00100 00000006',
      ].join('\n'),
      [
        entry('127.0.0.1', 28789, '127.0.0.1', 50123, 'ESTABLISHED', 4242),
        entry('127.0.0.1', 50123, '127.0.0.1', 28789, 'ESTABLISHED', 999),
        entry('*', 28790, '*', 0, 'LISTEN', 77),
      ],
    ],
    [
      'no header: rows parse, pids unknown',
      'tcp4 0 0 127.0.0.1.28789 *.* LISTEN 131072 131072 4242 0',
      [entry('127.0.0.1', 28789, '*', 0, 'LISTEN', undefined)],
    ],
  ])('%s', (_, text, expected) => {
    expect(parseMacNetstat(text)).toEqual(expected);
  });
});
