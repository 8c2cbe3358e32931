// Process trees: who descends from whom, what a process runs, whether it lives, and killing a
// whole tree. Linux reads /proc; macOS asks ps; Windows asks PowerShell/taskkill (best effort).
import { runPowerShell, runTool } from './exec';
import { listPids, readProcCommandLine, readProcStat, readProcStatSync } from './procfs';

const IS_WINDOWS = process.platform === 'win32';
const IS_LINUX = process.platform === 'linux';
/** Rounds of "list the tree, freeze what is new" before a SIGKILL; each round catches fresh forks. */
const MAX_FREEZE_ROUNDS = 5;

/** Throws unless pid can name a process. */
function assertPid(pid: number): void {
  if (!Number.isInteger(pid) || pid < 1) throw new RangeError(`not a process id: ${String(pid)}`);
}

/** Throws unless pid is safe to signal: never ourselves, never init (its group kill, kill(-1), hits every process). */
function assertSignalable(pid: number): void {
  assertPid(pid);
  if (pid === 1) throw new RangeError('refusing to signal process 1');
  if (pid === process.pid) throw new RangeError('refusing to signal our own process');
}

/** Parses "pid ppid" lines, as printed by `ps -A -o pid=,ppid=` and by our PowerShell query. */
export function parsePidPpidLines(text: string): Map<number, number> {
  const table = new Map<number, number>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
    if (match) table.set(Number(match[1]), Number(match[2]));
  }
  return table;
}

/** Every process's parent: pid → ppid. */
export async function readProcessTable(): Promise<Map<number, number>> {
  if (IS_LINUX) {
    const stats = await Promise.all((await listPids()).map(readProcStat));
    return new Map(stats.flatMap((stat) => (stat ? [[stat.pid, stat.ppid] as [number, number]] : [])));
  }
  if (IS_WINDOWS) {
    const text = await runPowerShell('Get-CimInstance Win32_Process | ForEach-Object { "$($_.ProcessId) $($_.ParentProcessId)" }');
    return parsePidPpidLines(text ?? '');
  }
  const result = await runTool('ps', ['-A', '-o', 'pid=,ppid=']);
  return parsePidPpidLines(result?.stdout ?? '');
}

/** Descendants of root in breadth-first order (children before grandchildren). */
export function descendantsIn(table: ReadonlyMap<number, number>, root: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of table) {
    if (pid === ppid) continue; // Windows: pid 0 is its own parent
    const siblings = children.get(ppid) ?? [];
    siblings.push(pid);
    children.set(ppid, siblings);
  }
  const found: number[] = [];
  const seen = new Set([root]); // Windows reuses pids, so parent links can form cycles
  for (let queue = [root]; queue.length > 0;) {
    const next: number[] = [];
    for (const pid of queue) {
      for (const child of (children.get(pid) ?? []).sort((a, b) => a - b)) {
        if (seen.has(child)) continue;
        seen.add(child);
        found.push(child);
        next.push(child);
      }
    }
    queue = next;
  }
  return found;
}

/** Of several processes holding one resource (an inherited socket), the one whose parent is not among them. */
export function topmostOf(pids: readonly number[], table: ReadonlyMap<number, number>): number | undefined {
  const holders = new Set(pids);
  const sorted = [...holders].sort((a, b) => a - b);
  return sorted.find((pid) => !holders.has(table.get(pid) ?? -1)) ?? sorted[0];
}

export async function listDescendants(pid: number): Promise<number[]> {
  assertPid(pid);
  return descendantsIn(await readProcessTable(), pid);
}

/** The process's command line (arguments joined by spaces), or undefined when it is gone or hidden. */
export async function readCommandLine(pid: number): Promise<string | undefined> {
  assertPid(pid);
  if (IS_LINUX) return readProcCommandLine(pid);
  if (IS_WINDOWS) {
    const text = await runPowerShell(`(Get-CimInstance Win32_Process -Filter "ProcessId=${pid}").CommandLine`);
    return text?.trim() || undefined;
  }
  const result = await runTool('ps', ['-o', 'command=', '-p', String(pid)]);
  return result?.exitCode === 0 ? result.stdout.trim() || undefined : undefined;
}

/**
 * Names one process for good: its pid plus when it started, so a pid reused by another program
 * never matches. Command lines can't serve — OpenClaw renames itself to "openclaw-gateway".
 * Undefined when the process is gone or hidden.
 */
export async function processIdentity(pid: number): Promise<string | undefined> {
  assertPid(pid);
  if (IS_LINUX) {
    // Synchronous on purpose: a record written right after spawn leaves no gap to crash into.
    const stat = readProcStatSync(pid);
    return stat ? `${pid}@${stat.startTime}` : undefined;
  }
  if (IS_WINDOWS) {
    const text = await runPowerShell(`(Get-Process -Id ${pid} -ErrorAction SilentlyContinue).StartTime.ToUniversalTime().Ticks`);
    return text?.trim() ? `${pid}@${text.trim()}` : undefined;
  }
  const result = await runTool('ps', ['-o', 'lstart=', '-p', String(pid)]);
  return result?.exitCode === 0 && result.stdout.trim() ? `${pid}@${result.stdout.trim()}` : undefined;
}

/**
 * True while the process runs (or is stopped). On Linux a zombie — exited, not yet reaped by its
 * parent — is not alive; elsewhere kill(pid, 0) cannot tell a zombie apart.
 */
export function isAlive(pid: number): boolean {
  assertPid(pid);
  if (IS_LINUX) {
    const stat = readProcStatSync(pid);
    return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sends a signal; false when the process is gone or not ours. Never throws. */
function sendSignal(target: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(target, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Signals every member of the POSIX process group pgid — which still reaches a tree's
 * orphans after its leader died. False when the group is empty or on Windows.
 */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals): boolean {
  assertSignalable(pgid);
  return !IS_WINDOWS && sendSignal(-pgid, signal);
}

/**
 * Signals pid and all its descendants, parent first (so it cannot replace children we kill).
 * POSIX: the tree is listed before any signal, so children re-parented by the parent's death are
 * not lost; for SIGKILL the tree is frozen (SIGSTOP) first so it cannot fork while we list it;
 * any other signal is followed by SIGCONT, because a stopped process acts on nothing but SIGKILL.
 * Windows: `taskkill /T` (graceful), or `taskkill /T /F` for SIGKILL.
 */
export async function killTree(pid: number, signal: NodeJS.Signals): Promise<void> {
  assertSignalable(pid);
  if (IS_WINDOWS) {
    await runTool('taskkill', ['/PID', String(pid), '/T', ...(signal === 'SIGKILL' ? ['/F'] : [])]);
    return;
  }
  if (signal === 'SIGKILL') {
    for (const target of await freezeTree(pid)) sendSignal(target, 'SIGKILL');
    return;
  }
  const targets = [pid, ...(await listDescendants(pid))];
  for (const target of targets) sendSignal(target, signal);
  if (signal !== 'SIGCONT' && signal !== 'SIGSTOP') {
    for (const target of targets) sendSignal(target, 'SIGCONT');
  }
}

/** SIGSTOPs pid and its descendants until a listing finds nothing new; returns them, parent first. */
async function freezeTree(pid: number): Promise<number[]> {
  const frozen = [pid];
  sendSignal(pid, 'SIGSTOP');
  for (let round = 0; round < MAX_FREEZE_ROUNDS; round += 1) {
    const fresh = (await listDescendants(pid)).filter((child) => !frozen.includes(child));
    if (fresh.length === 0) break;
    for (const child of fresh) sendSignal(child, 'SIGSTOP');
    frozen.push(...fresh);
  }
  return frozen;
}
