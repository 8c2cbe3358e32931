// The port gate in front of every spawn: gather the facts about the gateway port, then let the
// pure portVerdict decide. Cheap when the port is free (one loopback connect per address).
import { readPidRecord } from './pidfile';
import { portVerdict, type PortVerdict } from './policy/port-verdict';
import { findPortOwner } from './port/owner';
import { probePort } from './port/probe';
import { probeProtocol } from './readiness';

export interface GateOptions {
  port: number;
  dataDir: string;
  /** How long a listener gets to answer the protocol before it counts as hung. */
  answerTimeoutMs: number;
}

export async function gatePort({ port, dataDir, answerTimeoutMs }: GateOptions): Promise<PortVerdict> {
  const probe = await probePort(port, { timeoutMs: 1_000 });
  if (!probe.listening) return { kind: 'free' };
  const owner = await findPortOwner(port);
  const record = readPidRecord(dataDir);
  const recordedCommandMatches = Boolean(owner && record && owner.pid === record.pid && owner.command.includes(record.entry));
  const answer = recordedCommandMatches ? undefined : await probeProtocol(port, answerTimeoutMs);
  return portVerdict({ listening: true, owner, recordedPid: record?.pid, recordedCommandMatches, answer });
}
