// Pure parsers for netstat on the platforms without /proc: Windows `netstat -ano` and macOS
// `netstat -anv -p tcp`. Both name the owning pid per socket.
import type { TcpStateName } from '../status';

export interface NetstatSocket {
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** Undefined when the state word is not one we know (Windows prints it in the user's language). */
  state: TcpStateName | undefined;
  pid: number | undefined;
}

const WINDOWS_STATES: Record<string, TcpStateName> = {
  LISTENING: 'LISTEN',
  SYN_SENT: 'SYN_SENT',
  SYN_RECEIVED: 'SYN_RECV',
  ESTABLISHED: 'ESTABLISHED',
  FIN_WAIT_1: 'FIN_WAIT1',
  FIN_WAIT_2: 'FIN_WAIT2',
  CLOSE_WAIT: 'CLOSE_WAIT',
  CLOSING: 'CLOSING',
  LAST_ACK: 'LAST_ACK',
  TIME_WAIT: 'TIME_WAIT',
  CLOSED: 'CLOSE',
};

const MAC_STATES: Record<string, TcpStateName> = {
  LISTEN: 'LISTEN',
  SYN_SENT: 'SYN_SENT',
  SYN_RCVD: 'SYN_RECV',
  ESTABLISHED: 'ESTABLISHED',
  FIN_WAIT_1: 'FIN_WAIT1',
  FIN_WAIT_2: 'FIN_WAIT2',
  CLOSE_WAIT: 'CLOSE_WAIT',
  CLOSING: 'CLOSING',
  LAST_ACK: 'LAST_ACK',
  TIME_WAIT: 'TIME_WAIT',
  CLOSED: 'CLOSE',
};

/** Splits "addr<sep>port" at the last separator; "*" as a port means none (0). */
function splitEndpoint(text: string, separator: ':' | '.'): { address: string; port: number } | undefined {
  const at = text.lastIndexOf(separator);
  if (at <= 0) return undefined;
  const portText = text.slice(at + 1);
  const port = portText === '*' ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || portText === '') return undefined;
  return { address: text.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port };
}

/**
 * Windows `netstat -ano` (IPv4 and IPv6 rows both say TCP). The headers and state words are
 * localized, so rows are recognised by shape — `TCP local remote [state…] pid` — and a listener by
 * its unspecified foreign address (0.0.0.0:0 or [::]:0), whatever word the state column holds.
 */
export function parseWindowsNetstat(text: string): NetstatSocket[] {
  const sockets: NetstatSocket[] = [];
  for (const line of text.split(/\r?\n/)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4 || fields[0]!.toUpperCase() !== 'TCP') continue;
    const local = splitEndpoint(fields[1]!, ':');
    const remote = splitEndpoint(fields[2]!, ':');
    const pidText = fields[fields.length - 1]!;
    if (!local || !remote || !/^\d+$/.test(pidText)) continue;
    const listening = remote.port === 0 && (remote.address === '0.0.0.0' || remote.address === '::');
    const word = fields.slice(3, -1).join(' ').toUpperCase();
    const state = listening ? 'LISTEN' : WINDOWS_STATES[word];
    sockets.push({
      localAddress: local.address,
      localPort: local.port,
      remoteAddress: remote.address,
      remotePort: remote.port,
      state,
      pid: Number(pidText),
    });
  }
  return sockets;
}

/**
 * Where the pid sits in macOS `netstat -anv` rows, from the header: older releases print a
 * `pid` column, newer ones `process:pid` (and the process name may contain spaces). Columns
 * before it are fixed, so the header index holds for every TCP row.
 */
function macPidColumn(header: string): number {
  const columns = header.replace('Local Address', 'Local-Address').replace('Foreign Address', 'Foreign-Address').trim().split(/\s+/);
  return columns.findIndex((column) => column === 'pid' || column === 'process:pid');
}

function macPid(fields: readonly string[], column: number): number | undefined {
  if (column < 0 || column >= fields.length) return undefined;
  if (/^\d+$/.test(fields[column]!)) return Number(fields[column]);
  for (const field of fields.slice(column)) {
    const match = /:(\d+)$/.exec(field);
    if (match) return Number(match[1]);
  }
  return undefined;
}

/** macOS `netstat -anv -p tcp`: addresses as a.b.c.d.port, *.port or ::1.port; states in English. */
export function parseMacNetstat(text: string): NetstatSocket[] {
  const sockets: NetstatSocket[] = [];
  let pidColumn = -1;
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('Proto')) {
      pidColumn = macPidColumn(line);
      continue;
    }
    const fields = line.trim().split(/\s+/);
    if (fields.length < 6 || !/^tcp(4|6|46)?$/.test(fields[0]!)) continue;
    const local = splitEndpoint(fields[3]!, '.');
    const remote = splitEndpoint(fields[4]!, '.');
    if (!local || !remote) continue;
    sockets.push({
      localAddress: local.address,
      localPort: local.port,
      remoteAddress: remote.address,
      remotePort: remote.port,
      state: MAC_STATES[fields[5]!],
      pid: macPid(fields, pidColumn),
    });
  }
  return sockets;
}
