// What the port gate decides before a spawn. Pure.
// Seed 000: leftovers in TIME_WAIT/FIN_WAIT2 are not listeners, so only a live listener counts.

export interface PortFacts {
  /**
   * Pincer's own child from a previous run, still alive: its pid is recorded in the data dir and
   * its command line still runs the recorded program (so a reused pid is not mistaken for it).
   */
  orphanPid?: number;
  listening: boolean;
  owner?: { pid: number; command: string };
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
  // Ours to stop whatever port it holds: otherwise it would run on beside the new generation.
  if (facts.orphanPid !== undefined) return { kind: 'reclaim', pid: facts.orphanPid };
  if (!facts.listening) return { kind: 'free' };
  const { owner } = facts;
  if (facts.answer === 'gateway') return { kind: 'attach', pid: owner?.pid };
  if (facts.answer === 'hung') return { kind: 'hung', owner };
  return { kind: 'in-use', owner };
}
