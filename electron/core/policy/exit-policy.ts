// What to do when the gateway process exits on its own (exits Pincer asked for never get here).
// Pure: the supervisor supplies the facts.

/** sysexits EX_CONFIG: OpenClaw's "configuration invalid / duplicate instance" exit code. */
export const EXIT_CONFIG = 78;

export interface ExitFacts {
  code: number | null;
  /** A repair for exit 78 already ran in this start sequence. */
  repairAttempted: boolean;
  /** Unexpected exits recorded inside the crash-loop window, including this one. */
  crashLoop: boolean;
}

export type ExitDecision = { action: 'repair' } | { action: 'config-invalid' } | { action: 'crash-loop' } | { action: 'restart' };

export function decideOnExit(facts: ExitFacts): ExitDecision {
  if (facts.code === EXIT_CONFIG) return facts.repairAttempted ? { action: 'config-invalid' } : { action: 'repair' };
  if (facts.crashLoop) return { action: 'crash-loop' };
  return { action: 'restart' };
}
