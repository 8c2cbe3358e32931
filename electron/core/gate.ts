// The port gate in front of every spawn: gather the facts, then let the pure portVerdict decide.
// Cheap when the port is free and nothing is recorded: one loopback connect per address.
import { readPidRecord } from './pidfile';
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

async function findOrphan(dataDir: string, ownPids: readonly number[]): Promise<number | undefined> {
  const record = readPidRecord(dataDir);
  if (!record || ownPids.includes(record.pid) || !isAlive(record.pid)) return undefined;
  return (await processIdentity(record.pid)) === record.identity ? record.pid : undefined;
}

export async function gatePort({ port, dataDir, answerTimeoutMs, ownPids = [] }: GateOptions): Promise<PortVerdict> {
  const orphanPid = await findOrphan(dataDir, ownPids);
  if (orphanPid !== undefined) return portVerdict({ orphanPid, listening: false });
  const probe = await probePort(port, { timeoutMs: 1_000 });
  if (!probe.listening) return { kind: 'free' };
  const owner = await findPortOwner(port);
  return portVerdict({ listening: true, owner, answer: await probeProtocol(port, answerTimeoutMs) });
}
