// What the port gate decides about the gateway port before a spawn. Pure.
// Seed 000: leftovers in TIME_WAIT/FIN_WAIT2 are not listeners, so only a live listener counts.

export interface PortFacts {
  listening: boolean;
  owner?: { pid: number; command: string };
  /** The pid Pincer recorded for its own child (data dir), if any. */
  recordedPid?: number;
  /** The recorded child's command line still matches the owner's (guards against pid reuse). */
  recordedCommandMatches: boolean;
  /** How the listener answered our protocol probe. */
  answer?: 'gateway' | 'hung' | 'other';
}

export type PortVerdict =
  | { kind: 'free' }
  | { kind: 'reclaim'; pid: number }
  | { kind: 'attach'; pid?: number }
  | { kind: 'hung'; owner?: { pid: number; command: string } }
  | { kind: 'in-use'; owner?: { pid: number; command: string } };

export function portVerdict(facts: PortFacts): PortVerdict {
  if (!facts.listening) return { kind: 'free' };
  const { owner } = facts;
  if (owner && owner.pid === facts.recordedPid && facts.recordedCommandMatches) return { kind: 'reclaim', pid: owner.pid };
  if (facts.answer === 'gateway') return { kind: 'attach', pid: owner?.pid };
  if (facts.answer === 'hung') return { kind: 'hung', owner };
  return { kind: 'in-use', owner };
}
