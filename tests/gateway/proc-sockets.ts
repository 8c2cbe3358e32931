// Linux-only view of TCP sockets by state for one port and one owner process, from /proc.
import fs from 'node:fs';

const STATES: Record<string, string> = {
  '01': 'ESTABLISHED',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '08': 'CLOSE_WAIT',
  '0A': 'LISTEN',
};

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = fs.readlinkSync(`/proc/${pid}/fd/${fd}`).match(/^socket:\[(\d+)\]$/);
      if (match) inodes.add(match[1]!);
    } catch {
      // fd closed while we looked
    }
  }
  return inodes;
}

/** Counts of the sockets owned by `pid` whose local port is `port`, by TCP state name. */
export function socketStatesOf(pid: number, port: number): Record<string, number> {
  const owned = socketInodes(pid);
  const counts: Record<string, number> = {};
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      if (columns.length < 10) continue;
      const localPort = parseInt(columns[1]!.split(':')[1]!, 16);
      if (localPort !== port || !owned.has(columns[9]!)) continue;
      const state = STATES[columns[3]!] ?? columns[3]!;
      counts[state] = (counts[state] ?? 0) + 1;
    }
  }
  return counts;
}
