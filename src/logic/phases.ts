// The start-up progress strip: each phase done, current (with live elapsed time) or pending.
import { START_PHASES, type GatewayStatus, type StartPhase } from '../../electron/core/status';

export type StepState = 'done' | 'current' | 'pending' | 'skipped';

export interface PhaseStep {
  phase: StartPhase;
  state: StepState;
  /** Known for done steps, live for the current one. */
  elapsedMs?: number;
}

/**
 * The current phase's elapsed time is what the snapshot recorded plus the time since the
 * snapshot was taken, so it keeps ticking between status events.
 */
export function phaseSteps(status: Pick<GatewayStatus, 'phase' | 'phaseTimings' | 'at'>, now: number): PhaseStep[] {
  const current = status.phase ? START_PHASES.indexOf(status.phase) : -1;
  return START_PHASES.map((phase, i): PhaseStep => {
    const recorded = status.phaseTimings[phase];
    if (current === -1) return recorded === undefined ? { phase, state: 'pending' } : { phase, state: 'done', elapsedMs: recorded };
    if (i < current) return recorded === undefined ? { phase, state: 'skipped' } : { phase, state: 'done', elapsedMs: recorded };
    if (i === current) return { phase, state: 'current', elapsedMs: (recorded ?? 0) + Math.max(0, now - status.at) };
    return { phase, state: 'pending' };
  });
}

/** Total time of the last start that got through to the end (a failed start has no total). */
export function lastStartMs(status: Pick<GatewayStatus, 'phase' | 'phaseTimings'>): number | undefined {
  if (status.phase || status.phaseTimings.connecting === undefined) return undefined;
  const timings = Object.values(status.phaseTimings).filter((v): v is number => typeof v === 'number');
  return timings.length > 0 ? timings.reduce((a, b) => a + b, 0) : undefined;
}

/** The strip is shown while a start is in progress (also during restarts that go through the phases). */
export function showPhases(status: Pick<GatewayStatus, 'state' | 'phase'>): boolean {
  return status.phase !== undefined || status.state === 'starting';
}
