// Pure parsers for the tools the port-owner lookup asks.
import type { NetstatSocket } from '../sockets/netstat';

/** `ss -ltnpH 'sport = :P'` rows end in users:(("node",pid=1234,fd=21),…): every pid, in order. */
export function parseSsPids(text: string): number[] {
  const pids: number[] = [];
  for (const match of text.matchAll(/\bpid=(\d+)/g)) {
    const pid = Number(match[1]);
    if (!pids.includes(pid)) pids.push(pid);
  }
  return pids;
}

/** `lsof -t` prints one pid per line. */
export function parseLsofPids(text: string): number[] {
  const pids = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => /^\d+$/.test(line))
    .map(Number);
  return [...new Set(pids)];
}

/** `tasklist /FI "PID eq N" /FO CSV /NH` → the image name; its "no tasks" notice (localized) is not CSV. */
export function parseTasklistImage(text: string): string | undefined {
  const match = /^"([^"]+)","(\d+)"/m.exec(text.trim());
  return match?.[1];
}

/** Pids listening on `port` in Windows netstat rows (any local address, IPv4 or IPv6). */
export function windowsListenerPids(sockets: readonly NetstatSocket[], port: number): number[] {
  const pids = sockets
    .filter((socket) => socket.state === 'LISTEN' && socket.localPort === port && socket.pid !== undefined)
    .map((socket) => socket.pid!);
  return [...new Set(pids)];
}
