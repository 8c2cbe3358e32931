// What /proc says about this chaos run: every process carrying the run's tag in its environment
// (the twin passes its environment on to the gateways it starts, and they to their workers),
// with parent, state, listening ports and the few variables the checks look at.
import { readFileSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { listPids, readProcCommandLine, readProcStat, readSocketInodes } from '../../electron/core/process/procfs';
import { readTcpTable, type TcpSocket } from '../../electron/core/sockets/tcp-table';
import type { TcpStateName } from '../../electron/core/status';

export interface RunTag {
  name: string;
  value: string;
}

export interface ProcInfo {
  pid: number;
  ppid: number;
  state: string;
  command: string;
  /** Ports this process holds a LISTEN socket on. */
  listening: number[];
  /** Only the PINCER_REFGW_* and PINCER_CHAOS_* variables (never the token). */
  env: Record<string, string>;
}

export interface RunSnapshot {
  at: number;
  /** Tagged processes except the supervisors, zombies left out. */
  processes: ProcInfo[];
  /** The twin(s), with their listening ports. */
  supervisors: ProcInfo[];
}

/** The variables a snapshot keeps (fault switches and chaos markers; never the token). */
export const SNAPSHOT_ENV = /^(PINCER_REFGW_|PINCER_CHAOS_)/;

function parseEnviron(raw: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const entry of raw.split('\0')) {
    const at = entry.indexOf('=');
    if (at > 0) env.set(entry.slice(0, at), entry.slice(at + 1));
  }
  return env;
}

async function readEnviron(pid: number): Promise<Map<string, string> | undefined> {
  try {
    return parseEnviron(await readFile(`/proc/${pid}/environ`, 'utf8'));
  } catch {
    return undefined; // gone, or not ours to read
  }
}

function listeningPorts(inodes: Set<number>, listeners: ReadonlyMap<number, number>): number[] {
  const ports = new Set<number>();
  for (const inode of inodes) {
    const port = listeners.get(inode);
    if (port !== undefined) ports.add(port);
  }
  return [...ports].sort((a, b) => a - b);
}

async function describe(pid: number, env: Map<string, string>, listeners: ReadonlyMap<number, number>): Promise<ProcInfo | undefined> {
  const [stat, command, inodes] = await Promise.all([readProcStat(pid), readProcCommandLine(pid), readSocketInodes(pid)]);
  if (!stat) return undefined;
  const kept = Object.fromEntries([...env].filter(([name]) => SNAPSHOT_ENV.test(name)));
  return { pid, ppid: stat.ppid, state: stat.state, command: command ?? '?', listening: listeningPorts(inodes, listeners), env: kept };
}

export async function scanRun(tag: RunTag, supervisorPids: readonly number[]): Promise<RunSnapshot> {
  const [pids, table] = await Promise.all([listPids(), readTcpTable()]);
  const listeners = new Map(
    table.filter((socket) => socket.state === 'LISTEN' && socket.inode !== 0).map((socket) => [socket.inode, socket.localPort]),
  );
  const found = await Promise.all(
    pids
      .filter((pid) => pid !== process.pid)
      .map(async (pid) => {
        const env = await readEnviron(pid);
        if (env?.get(tag.name) !== tag.value) return undefined;
        return describe(pid, env, listeners);
      }),
  );
  const live = found.filter((info): info is ProcInfo => info !== undefined && info.state !== 'Z' && info.state !== 'X');
  return {
    at: Date.now(),
    processes: live.filter((info) => !supervisorPids.includes(info.pid)),
    supervisors: live.filter((info) => supervisorPids.includes(info.pid)),
  };
}

export interface HeldSocket {
  localPort: number;
  remotePort: number;
  state: TcpStateName;
}

/** The TCP sockets `pid` holds whose local or remote port is one of `ports`. */
export async function socketsHeldBy(pid: number, ports: ReadonlySet<number>): Promise<HeldSocket[]> {
  const [table, inodes] = await Promise.all([readTcpTable(), readSocketInodes(pid)]);
  return table
    .filter((socket: TcpSocket) => socket.inode !== 0 && inodes.has(socket.inode) && (ports.has(socket.localPort) || ports.has(socket.remotePort)))
    .map((socket) => ({ localPort: socket.localPort, remotePort: socket.remotePort, state: socket.state }));
}

/** Field 22 of /proc/<pid>/stat: tells a process from a later one that reused its pid. */
export function readStartTime(pid: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Synchronous: the pids carrying the tag (for the last-resort cleanup in an 'exit' handler). */
export function taggedPidsSync(tag: RunTag): number[] {
  const needle = `${tag.name}=${tag.value}`;
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(needle)) pids.push(Number(name));
    } catch {
      // gone
    }
  }
  return pids;
}
