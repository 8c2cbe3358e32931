// The port gate in front of every spawn: gather the facts, then let the pure portVerdict decide.
// Cheap when the port is free and nothing is recorded: one loopback connect per address.
import { isHolderAlive } from './instance-lock';
import { readPidRecords, type PidRecord } from './pidfile';
import { portVerdict, type PortVerdict } from './policy/port-verdict';
import { findPortOwner } from './port/owner';
import { probePort } from './port/probe';
import { isAlive, processIdentity } from './process/tree';
import { probeProtocol } from './readiness';

export interface GateOptions {
  port: number;
  dataDir: string;
  /** How long a listener gets to answer the protocol before it counts as hung. */
  answerTimeoutMs: number;
  /** Our current generations, which are not orphans even though they are recorded. */
  ownPids?: readonly number[];
}

/** True when the record's supervisor is another Pincer that still runs: its gateway is no orphan. */
async function ownedByLiveSupervisor(owner: PidRecord['owner']): Promise<boolean> {
  return owner !== undefined && owner.pid !== process.pid && (await isHolderAlive(owner));
}

/** Pincer's own gateways from a previous run that are still alive (not the current ones). */
async function findOrphan(dataDir: string, ownPids: readonly number[]): Promise<number | undefined> {
  for (const record of readPidRecords(dataDir)) {
    if (ownPids.includes(record.pid) || !isAlive(record.pid)) continue;
    if (await ownedByLiveSupervisor(record.owner)) continue;
    if ((await processIdentity(record.pid)) === record.identity) return record.pid;
  }
  return undefined;
}

export async function gatePort({ port, dataDir, answerTimeoutMs, ownPids = [] }: GateOptions): Promise<PortVerdict> {
  const orphanPid = await findOrphan(dataDir, ownPids);
  if (orphanPid !== undefined) return portVerdict({ orphanPid, listening: false });
  const probe = await probePort(port, { timeoutMs: 1_000 });
  if (!probe.listening) return { kind: 'free' };
  const owner = await findPortOwner(port);
  return portVerdict({ listening: true, owner, answer: await probeProtocol(port, answerTimeoutMs) });
}
