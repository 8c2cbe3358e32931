// Who holds the LISTEN socket on a port. Used when the port gate finds the port taken, to tell
// our own stale gateway from a foreign program (which is named to the user and left alone).
// Linux: /proc (ss as a fallback); macOS: lsof + ps; Windows: netstat -ano + PowerShell/tasklist.
import { runTool } from '../process/exec';
import { listPids, readSocketInodes } from '../process/procfs';
import { readCommandLine, readProcessTable, topmostOf } from '../process/tree';
import { parseWindowsNetstat } from '../sockets/netstat';
import { readTcpTable } from '../sockets/tcp-table';
import { parseLsofPids, parseSsPids, parseTasklistImage, windowsListenerPids } from './owner-parse';
import { assertPort } from './probe';

export interface PortOwner {
  pid: number;
  /** The full command line (Windows: the image name when PowerShell cannot tell); '' when hidden from us or gone. */
  command: string;
}

/**
 * The process listening on `port` (any local address), or undefined when there is no listener or
 * its owner cannot be seen (another user's process without privileges). When a listening socket
 * is shared by a process tree (inherited by workers), the topmost holder is named.
 */
export async function findPortOwner(port: number): Promise<PortOwner | undefined> {
  assertPort(port);
  const pids =
    process.platform === 'linux' ? await linuxListenerPids(port) : process.platform === 'win32' ? await windowsPids(port) : await lsofPids(port);
  if (pids.length === 0) return undefined;
  const pid = pids.length === 1 ? pids[0]! : topmostOf(pids, await readProcessTable())!;
  const command = (await readCommandLine(pid)) ?? (process.platform === 'win32' ? await tasklistImage(pid) : undefined);
  return { pid, command: command ?? '' };
}

async function linuxListenerPids(port: number): Promise<number[]> {
  const listeners = (await readTcpTable()).filter((socket) => socket.state === 'LISTEN' && socket.localPort === port);
  if (listeners.length === 0) return [];
  const inodes = new Set(listeners.map((socket) => socket.inode));
  const holders: number[] = [];
  await Promise.all(
    (await listPids()).map(async (pid) => {
      for (const inode of await readSocketInodes(pid)) {
        if (inodes.has(inode)) return void holders.push(pid);
      }
    }),
  );
  if (holders.length > 0) return holders;
  // Another user's process hides its fds from us; ss may still see it (with privileges).
  const result = await runTool('ss', ['-ltnpH', `sport = :${port}`]);
  return parseSsPids(result?.stdout ?? '');
}

async function lsofPids(port: number): Promise<number[]> {
  const result = await runTool('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-t']);
  return parseLsofPids(result?.stdout ?? '');
}

async function windowsPids(port: number): Promise<number[]> {
  const result = await runTool('netstat', ['-ano']); // not -p tcp: that lists IPv4 only
  return windowsListenerPids(parseWindowsNetstat(result?.stdout ?? ''), port);
}

async function tasklistImage(pid: number): Promise<string | undefined> {
  const result = await runTool('tasklist', ['/FI', `PID eq ${pid}`, '/FO', 'CSV', '/NH']);
  return parseTasklistImage(result?.stdout ?? '');
}
