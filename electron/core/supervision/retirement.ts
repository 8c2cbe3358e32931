// Generations stopped on purpose: marked retiring first (so their exit is not taken for a crash,
// and a concurrent start does not take them for orphans), drained at the front door when asked,
// then stopped (graceful, then the tree). An attached gateway is not ours to stop.
import type { FrontDoor } from '../frontdoor';
import type { SupervisionContext } from './context';
import { isGone, markRetiring, type Generation } from './generation';

/** How long a replaced generation may take to answer what was already sent to it. */
const DRAIN_TIMEOUT_MS = 5_000;

export class Retirements {
  private readonly going = new Map<Generation, Promise<void>>();

  constructor(
    private readonly context: SupervisionContext,
    private readonly door: () => FrontDoor | undefined,
  ) {}

  generations(): Generation[] {
    return [...this.going.keys()];
  }

  /** Resolves when every generation being retired (also by a concurrent flow) is gone. */
  retire(generation: Generation | undefined, { drain = false } = {}): Promise<void> {
    if (generation && !this.going.has(generation)) {
      markRetiring(generation);
      const retirement = this.stop(generation, drain).finally(() => {
        this.going.delete(generation);
        if (!this.context.current()) this.context.model.update({ pid: undefined, attached: false, external: undefined, startedAt: undefined });
      });
      this.going.set(generation, retirement);
    }
    return Promise.all(this.going.values()).then(() => undefined);
  }

  private async stop(generation: Generation, drain: boolean): Promise<void> {
    // Requests already on their way to it get their answers before it goes.
    if (drain) await this.door()?.drained(generation.port, DRAIN_TIMEOUT_MS);
    await generation.connection?.close();
    const { process } = generation;
    if (!process || isGone(generation)) return;
    try {
      await process.stop({ graceMs: this.context.timeouts.stopGraceMs });
    } catch (error) {
      this.context.log('error', `gateway pid ${process.pid} did not exit: ${(error as Error).message}`);
    }
  }
}
