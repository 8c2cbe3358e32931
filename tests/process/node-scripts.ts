// Real `node -e` processes for the OS-layer tests, each tracked so afterEach can kill it (and any
// descendants the test registered) whatever the test did.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { isAlive } from '../../electron/core/process/tree';
import { waitFor } from '../helpers/wait';

export interface NodeScript {
  child: ChildProcess;
  pid: number;
  /** Every stdout line so far. */
  lines: string[];
  /** Resolves with the first stdout line matching `pattern`. */
  line(pattern: RegExp): Promise<string>;
}

const tracked = new Set<number>();

/** Remembers a pid (e.g. a grandchild) for killTracked(). */
export function track(pid: number): void {
  tracked.add(pid);
}

/** Starts `node -e code ...args` with stdout piped (stderr inherited, for debugging). */
export function startNode(code: string, args: string[] = []): NodeScript {
  const child = spawn(process.execPath, ['-e', code, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.pid === undefined) throw new Error('node did not start');
  track(child.pid);
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
  const line = (pattern: RegExp): Promise<string> => waitFor(() => lines.find((text) => pattern.test(text)), { what: `a line matching ${pattern}` });
  return { child, pid: child.pid, lines, line };
}

/** SIGKILLs every tracked process still alive (for afterEach). */
export function killTracked(): void {
  for (const pid of tracked) {
    if (isAlive(pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // raced with its exit
      }
    }
  }
  tracked.clear();
}

/** Resolves once none of the pids is alive (zombies count as dead). */
export function waitAllDead(pids: readonly number[], timeoutMs = 20_000): Promise<true> {
  return waitFor(() => pids.every((pid) => !isAlive(pid)), { timeoutMs, what: `pids ${pids.join(', ')} to be gone` });
}

/** A node server script: listens on argv[1] at host argv[2], prints "ready". */
export const LISTEN_SCRIPT = `
const net = require('node:net');
const server = net.createServer((socket) => socket.on('error', () => {}));
server.listen(Number(process.argv[1]), process.argv[2], () => console.log('ready'));
`;
