// The promises the chaos soak checks, as pure judgments over what was observed (a /proc snapshot,
// the twin's status, the sockets it holds, its output). Each returns what is wrong, or nothing.
import type { GatewayErrorCode, GatewayStatus } from '../../electron/core/status';
import type { HeldSocket, ProcInfo, RunSnapshot } from './procscan';

export interface GatewayTree {
  root: ProcInfo;
  members: ProcInfo[];
  listening: number[];
}

/** Groups the run's processes into trees: a root is a process whose parent is not one of them. */
export function gatewayTrees(snapshot: RunSnapshot): GatewayTree[] {
  const byPid = new Map(snapshot.processes.map((info) => [info.pid, info]));
  const rootOf = (info: ProcInfo): ProcInfo => {
    let current = info;
    for (const seen = new Set<number>(); byPid.has(current.ppid) && !seen.has(current.pid);) {
      seen.add(current.pid);
      current = byPid.get(current.ppid)!;
    }
    return current;
  };
  const trees = new Map<number, GatewayTree>();
  for (const info of snapshot.processes) {
    const root = rootOf(info);
    const tree = trees.get(root.pid) ?? { root, members: [], listening: [] };
    tree.members.push(info);
    tree.listening = [...new Set([...tree.listening, ...info.listening])].sort((a, b) => a - b);
    trees.set(root.pid, tree);
  }
  return [...trees.values()];
}

const describeTree = (tree: GatewayTree) => `pid ${tree.root.pid} (${tree.root.command.slice(0, 80)}; ${tree.members.length} process(es))`;

/** Never two gateway process trees listening on one port. */
export function checkOneTreePerPort(snapshot: RunSnapshot): string[] {
  const owners = new Map<number, GatewayTree[]>();
  for (const tree of gatewayTrees(snapshot)) {
    for (const port of tree.listening) owners.set(port, [...(owners.get(port) ?? []), tree]);
  }
  return [...owners]
    .filter(([, trees]) => trees.length > 1)
    .map(([port, trees]) => `${trees.length} gateway trees listen on port ${port}: ${trees.map(describeTree).join(', ')}`);
}

/** After settle: at most one gateway generation listens anywhere (a second one is a duplicate). */
export function checkSingleGeneration(snapshot: RunSnapshot): string[] {
  const listening = gatewayTrees(snapshot).filter((tree) => tree.listening.length > 0);
  return listening.length > 1
    ? [
        `${listening.length} gateway generations listening after settle: ${listening.map((t) => `${describeTree(t)} on ${t.listening.join(',')}`).join('; ')}`,
      ]
    : [];
}

/** Every run process must have a living parent from this run (or be the driver's own child). */
export function checkOrphans(snapshot: RunSnapshot, allowedParents: readonly number[]): string[] {
  const parents = new Set([...allowedParents, ...snapshot.supervisors.map((s) => s.pid), ...snapshot.processes.map((p) => p.pid)]);
  return snapshot.processes
    .filter((info) => !parents.has(info.ppid))
    .map((info) => `orphan: pid ${info.pid} (${info.command.slice(0, 80)}) has parent ${info.ppid}, which is not part of this run`);
}

/** Pincer's own sockets on the gateway ports: none may be left in CLOSE_WAIT or FIN_WAIT2. */
export function checkHeldSockets(sockets: readonly HeldSocket[]): string[] {
  const stuck = sockets.filter((socket) => socket.state === 'CLOSE_WAIT' || socket.state === 'FIN_WAIT2');
  if (stuck.length === 0) return [];
  const counts = new Map<string, number>();
  for (const socket of stuck) counts.set(socket.state, (counts.get(socket.state) ?? 0) + 1);
  const sample = stuck
    .slice(0, 5)
    .map((s) => `${s.localPort}→${s.remotePort} ${s.state}`)
    .join(', ');
  return [`Pincer holds ${[...counts].map(([state, n]) => `${n} ${state}`).join(', ')} on the gateway port(s): ${sample}`];
}

// Node's own fatal output ends with "Node.js v20.x"; an uncaught throw otherwise names only the file.
const CRASH_LINE =
  /unhandled ?(promise ?)?rejection|unhandled 'error' event|uncaught ?exception|triggerUncaughtException|InvalidTransitionError|invalid lifecycle transition|^Node\.js v\d+/i;

/** Lines of output that report an unhandled rejection, an uncaught exception or an impossible transition. */
export function findCrashReports(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => CRASH_LINE.test(line))
    .map((line) => line.slice(0, 300));
}

/** The report without its log prefix (console and file transports stamp lines differently). */
export function crashKey(line: string): string {
  const at = line.search(CRASH_LINE);
  return at < 0 ? line : line.slice(at);
}

/** One acceptable end state of a fault. */
export type Expected =
  | {
      state: 'running';
      /** The pid must differ (a new generation was due). */
      notPid?: number;
      /** The control connection may flap (a gateway sending bad frames): reconnecting to the same live pid counts too. */
      orReconnecting?: boolean;
      /** These PINCER_* variables must be in the running gateway's environment (the latest settings won). */
      env?: Record<string, string | undefined>;
    }
  | { state: 'stopped' }
  | { state: 'error'; codes: readonly GatewayErrorCode[] };

export interface TruthFacts {
  status: GatewayStatus;
  snapshot: RunSnapshot;
  twinPid: number;
}

/** Why the status is not the truth (or not an accepted end state); undefined when it is both. */
export function judgeTruth(facts: TruthFacts, accepted: readonly Expected[]): string | undefined {
  const lie = statusLie(facts);
  if (lie) return lie;
  const reasons = accepted.map((expected) => mismatch(facts, expected));
  if (reasons.some((reason) => reason === undefined)) return undefined;
  return reasons.join(' | ');
}

/** A status that names a pid must name a live gateway process of this run; running needs a real listener. */
function statusLie({ status, snapshot, twinPid }: TruthFacts): string | undefined {
  if (status.pid === undefined) return status.state === 'running' ? 'status says running but names no pid' : undefined;
  const proc = snapshot.processes.find((info) => info.pid === status.pid);
  if (!proc) return `status names pid ${status.pid}, which is not a live gateway process of this run`;
  if (status.state !== 'running') return undefined;
  if (!status.attached && proc.ppid !== twinPid) return `status names pid ${status.pid}, whose parent is ${proc.ppid}, not the twin ${twinPid}`;
  const trees = gatewayTrees(snapshot);
  const tree = trees.find((t) => t.members.some((m) => m.pid === status.pid));
  const frontDoor = status.frontDoor?.enabled ? status.frontDoor : undefined;
  const gatewayPort = frontDoor ? frontDoor.internalPort : status.port;
  if (gatewayPort === undefined) return 'status says running behind the front door but names no internal port';
  if (!tree?.listening.includes(gatewayPort))
    return `status says pid ${status.pid} serves port ${gatewayPort}, but /proc shows it listening on [${tree?.listening.join(',') ?? ''}]`;
  if (frontDoor && !snapshot.supervisors.some((s) => s.pid === twinPid && s.listening.includes(status.port))) {
    return `status says the front door listens on ${status.port}, but the twin does not`;
  }
  const others = trees.filter((t) => t !== tree && t.listening.length > 0);
  if (others.length > 0) return `another gateway tree listens besides pid ${status.pid}: ${others.map(describeTree).join(', ')}`;
  return undefined;
}

function mismatch({ status, snapshot }: TruthFacts, expected: Expected): string | undefined {
  const flapping = expected.state === 'running' && expected.orReconnecting === true && status.state === 'reconnecting';
  if (status.state !== expected.state && !flapping) {
    return `state ${status.state}${status.error ? ` (${status.error.code})` : ''}, expected ${expected.state}${expected.state === 'error' ? ` (${expected.codes.join('/')})` : ''}`;
  }
  switch (expected.state) {
    case 'running': {
      if (expected.notPid !== undefined && status.pid === expected.notPid) return `still pid ${status.pid}, expected a new generation`;
      const env = snapshot.processes.find((info) => info.pid === status.pid)?.env ?? {};
      for (const [name, value] of Object.entries(expected.env ?? {})) {
        if (env[name] !== value) return `the running gateway has ${name}=${env[name] ?? '(unset)'}, expected ${value ?? '(unset)'}`;
      }
      return undefined;
    }
    case 'stopped':
      if (status.pid !== undefined) return `stopped but names pid ${status.pid}`;
      return snapshot.processes.length > 0
        ? `stopped, but ${snapshot.processes.length} gateway process(es) of this run live: ${snapshot.processes.map((p) => p.pid).join(', ')}`
        : undefined;
    case 'error':
      return status.error && expected.codes.includes(status.error.code)
        ? undefined
        : `error ${status.error?.code}, expected ${expected.codes.join('/')}`;
  }
}
