// Linux /proc readers shared by the process-tree, port-owner and socket-monitor code.
// Every reader tolerates processes vanishing mid-read: a gone process reads as undefined / empty.
import { readFileSync } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';

export interface ProcStat {
  pid: number;
  /** One letter: R, S, D, T (stopped), Z (zombie), X (dead), … */
  state: string;
  ppid: number;
  /** Process group id. */
  pgrp: number;
  /** When the process started, in clock ticks since boot: with the pid, it names one process. */
  startTime: number;
}

/** Parses /proc/<pid>/stat. The comm field sits in parentheses and may itself contain spaces and ')'. */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const fields = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // Fields after the comm, counted from field 3 (state); field 22 is starttime.
  const [state, ppid, pgrp] = fields;
  const stat = { pid, state: state ?? '', ppid: Number(ppid), pgrp: Number(pgrp), startTime: Number(fields[19]) };
  const valid =
    Number.isInteger(stat.pid) &&
    /^[A-Za-z]$/.test(stat.state) &&
    Number.isInteger(stat.ppid) &&
    Number.isInteger(stat.pgrp) &&
    Number.isInteger(stat.startTime);
  return valid ? stat : undefined;
}

/** The numeric entries of /proc. */
export async function listPids(): Promise<number[]> {
  const names = await readdir('/proc');
  return names.filter((name) => /^\d+$/.test(name)).map(Number);
}

export async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Synchronous twin of readProcStat, for isAlive(): procfs reads never touch a disk. */
export function readProcStatSync(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The arguments from a NUL-separated /proc/<pid>/cmdline. */
export function parseCmdline(raw: string): string[] {
  return raw.split('\0').filter((arg, index, all) => arg !== '' || index < all.length - 1);
}

/**
 * The command line, arguments joined by spaces. Kernel threads and zombies have an empty
 * cmdline; their comm name is returned in brackets, as ps does.
 */
export async function readProcCommandLine(pid: number): Promise<string | undefined> {
  try {
    const args = parseCmdline(await readFile(`/proc/${pid}/cmdline`, 'utf8'));
    if (args.length > 0) return args.join(' ');
    const comm = (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
    return comm ? `[${comm}]` : undefined;
  } catch {
    return undefined;
  }
}

const SOCKET_LINK = /^socket:\[(\d+)\]$/;

/** Inodes of the sockets a process holds open (its /proc/<pid>/fd links named socket:[inode]). */
export async function readSocketInodes(pid: number): Promise<Set<number>> {
  const inodes = new Set<number>();
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch {
    return inodes; // gone, or another user's process
  }
  await Promise.all(
    fds.map(async (fd) => {
      try {
        const match = SOCKET_LINK.exec(await readlink(`/proc/${pid}/fd/${fd}`));
        if (match) inodes.add(Number(match[1]));
      } catch {
        // the fd was closed between readdir and readlink
      }
    }),
  );
  return inodes;
}
