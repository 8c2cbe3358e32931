// The kernel's TCP socket table on Linux: /proc/net/tcp and /proc/net/tcp6.
import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import type { TcpStateName } from '../status';

export interface TcpSocket {
  family: 4 | 6;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  state: TcpStateName;
  /** 0 for sockets no process holds any more (TIME_WAIT, orphaned FIN_WAIT2). */
  inode: number;
}

/** include/net/tcp_states.h */
const STATES: Record<string, TcpStateName> = {
  '01': 'ESTABLISHED',
  '02': 'SYN_SENT',
  '03': 'SYN_RECV',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
  '0A': 'LISTEN',
  '0B': 'CLOSING',
  '0C': 'SYN_RECV', // TCP_NEW_SYN_RECV: a request socket still in the handshake
};

/**
 * The kernel prints each address as 32-bit words in host byte order (%08X), so on a
 * little-endian machine every word's bytes appear reversed.
 */
function addressBytes(hex: string, littleEndian: boolean): number[] | undefined {
  if (!/^[0-9A-Fa-f]+$/.test(hex) || (hex.length !== 8 && hex.length !== 32)) return undefined;
  const bytes: number[] = [];
  for (let word = 0; word < hex.length; word += 8) {
    const wordBytes = [0, 2, 4, 6].map((at) => parseInt(hex.slice(word + at, word + at + 2), 16));
    bytes.push(...(littleEndian ? wordBytes.reverse() : wordBytes));
  }
  return bytes;
}

/** RFC 5952 text form: lower case, the longest run of ≥ 2 zero groups as ::, IPv4-mapped as ::ffff:a.b.c.d. */
export function formatIpv6(bytes: readonly number[]): string {
  if (bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let end = i;
    while (end < 8 && groups[end] === 0) end += 1;
    if (end - i > bestLength) [bestStart, bestLength] = [i, end - i];
    i = end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function parseEndpoint(text: string, family: 4 | 6, littleEndian: boolean): { address: string; port: number } | undefined {
  const [hexAddress = '', hexPort = ''] = text.split(':');
  const bytes = addressBytes(hexAddress, littleEndian);
  if (!bytes || bytes.length !== (family === 4 ? 4 : 16) || !/^[0-9A-Fa-f]{4}$/.test(hexPort)) return undefined;
  return { address: family === 4 ? bytes.join('.') : formatIpv6(bytes), port: parseInt(hexPort, 16) };
}

/**
 * Parses the text of /proc/net/tcp (family 4) or /proc/net/tcp6 (family 6). Lines that do not
 * parse (the header, garbage) are skipped. Fields: sl local rem st queues timer retrnsmt uid timeout inode …
 */
export function parseProcNetTcp(text: string, family: 4 | 6, littleEndian = endianness() === 'LE'): TcpSocket[] {
  const sockets: TcpSocket[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || !/^\d+:$/.test(fields[0]!)) continue;
    const local = parseEndpoint(fields[1]!, family, littleEndian);
    const remote = parseEndpoint(fields[2]!, family, littleEndian);
    const state = STATES[fields[3]!.toUpperCase()];
    const inode = Number(fields[9]);
    if (!local || !remote || !state || !Number.isInteger(inode)) continue;
    sockets.push({
      family,
      localAddress: local.address,
      localPort: local.port,
      remoteAddress: remote.address,
      remotePort: remote.port,
      state,
      inode,
    });
  }
  return sockets;
}

async function readTable(path: string, family: 4 | 6): Promise<TcpSocket[]> {
  try {
    return parseProcNetTcp(await readFile(path, 'utf8'), family);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []; // no IPv6 in this kernel
    throw error;
  }
}

/** Every TCP socket of this network namespace, IPv4 and IPv6 (Linux only). */
export async function readTcpTable(): Promise<TcpSocket[]> {
  const [v4, v6] = await Promise.all([readTable('/proc/net/tcp', 4), readTable('/proc/net/tcp6', 6)]);
  return [...v4, ...v6];
}
