// The tools' output formats, as fixtures: only Linux runs for real here.
import { describe, expect, test } from 'vitest';
import { parseLsofPids, parseSsPids, parseTasklistImage, windowsListenerPids } from '../../electron/core/port/owner-parse';
import { parseWindowsNetstat } from '../../electron/core/sockets/netstat';

describe('parseSsPids (ss -ltnpH)', () => {
  test.each([
    ['one listener', 'LISTEN 0      511        127.0.0.1:28789      0.0.0.0:*    users:(("node",pid=4242,fd=21))\n', [4242]],
    [
      'a socket shared by a worker tree, and a v6 row',
      'LISTEN 0 511 127.0.0.1:28789 0.0.0.0:* users:(("node",pid=4242,fd=21),("node",pid=4250,fd=21))\nLISTEN 0 511 [::1]:28789 [::]:* users:(("node",pid=4242,fd=22))\n',
      [4242, 4250],
    ],
    ['a process name with a comma and parenthesis', 'LISTEN 0 5 *:28789 *:* users:(("my,gw (x)",pid=77,fd=3))', [77]],
    ['no privileges: no users column', 'LISTEN 0 511 127.0.0.1:28789 0.0.0.0:*\n', []],
    ['empty output', '', []],
  ])('%s', (_, text, pids) => {
    expect(parseSsPids(text)).toEqual(pids);
  });
});

describe('parseLsofPids (lsof -t)', () => {
  test.each([
    ['one pid', '4242\n', [4242]],
    ['several, duplicates folded', '4242\n4250\n4242\n', [4242, 4250]],
    ['nothing listening (exit 1, no output)', '', []],
    ['a warning line is ignored', "lsof: WARNING: can't stat() fuse.gvfsd-fuse file system\n4242\n", [4242]],
  ])('%s', (_, text, pids) => {
    expect(parseLsofPids(text)).toEqual(pids);
  });
});

describe('parseTasklistImage (tasklist /FO CSV /NH)', () => {
  test.each([
    ['a match', '"node.exe","4242","Console","1","45,678 K"\r\n', 'node.exe'],
    ['a name with spaces', '"Some Gateway.exe","4242","Services","0","1.234 K"\r\n', 'Some Gateway.exe'],
    ['no match (English notice)', 'INFO: No tasks are running which match the specified criteria.\r\n', undefined],
    ['no match (German notice)', 'INFORMATION: Es werden keine Aufgaben mit den angegebenen Kriterien ausgeführt.\r\n', undefined],
  ])('%s', (_, text, image) => {
    expect(parseTasklistImage(text)).toBe(image);
  });
});

const ENGLISH_NETSTAT = `
Active Connections

  Proto  Local Address          Foreign Address        State           PID
  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1060
  TCP    127.0.0.1:28789        0.0.0.0:0              LISTENING       4242
  TCP    127.0.0.1:28789        127.0.0.1:50123        ESTABLISHED     4242
  TCP    127.0.0.1:50123        127.0.0.1:28789        ESTABLISHED     999
  TCP    127.0.0.1:50200        127.0.0.1:28789        TIME_WAIT       0
  TCP    [::]:135               [::]:0                 LISTENING       1060
  TCP    [::1]:28789            [::]:0                 LISTENING       4242
  UDP    0.0.0.0:28789          *:*                                    3000
`.replace(/\n/g, '\r\n');

// German Windows, as an OEM code page renders it when decoded as UTF-8: the words are unusable.
const GERMAN_NETSTAT = `
Aktive Verbindungen

  Proto  Lokale Adresse         Remoteadresse          Status           PID
  TCP    127.0.0.1:28789        0.0.0.0:0              ABH\uFFFDREN          5151
  TCP    127.0.0.1:28789        127.0.0.1:50123        HERGESTELLT      5151
  TCP    [::1]:28789            [::]:0                 ABH\uFFFDREN          5152
  TCP    127.0.0.1:28790        0.0.0.0:0              ABH\uFFFDREN          6000
`.replace(/\n/g, '\r\n');

describe('windowsListenerPids (netstat -ano)', () => {
  test.each([
    ['English: v4 and v6 listeners of one pid; UDP and connections ignored', ENGLISH_NETSTAT, 28789, [4242]],
    ['English: a port nobody listens on', ENGLISH_NETSTAT, 50123, []],
    ['German: listeners found by their 0.0.0.0:0 / [::]:0 foreign address, not the word', GERMAN_NETSTAT, 28789, [5151, 5152]],
    ['German: a neighbouring port does not match', GERMAN_NETSTAT, 28790, [6000]],
    ['empty output', '', 28789, []],
  ])('%s', (_, text, port, pids) => {
    expect(windowsListenerPids(parseWindowsNetstat(text), port)).toEqual(pids);
  });
});
