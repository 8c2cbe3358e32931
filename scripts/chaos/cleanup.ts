// Everything the driver starts, it stops: on success, on failure, on Ctrl+C. Async steps run once,
// newest first; the synchronous ones are the last resort in an 'exit' handler.

export class Cleanup {
  private readonly steps: Array<() => Promise<void> | void> = [];
  private readonly lastResort: Array<() => void> = [];
  private running?: Promise<void>;

  add(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }

  /** Must be synchronous and safe to run twice (e.g. SIGKILL by pid). */
  addLastResort(step: () => void): void {
    this.lastResort.push(step);
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of [...this.steps].reverse()) {
        try {
          await step();
        } catch (error) {
          process.stderr.write(`chaos: cleanup step failed: ${(error as Error).message}\n`);
        }
      }
      this.runLastResort();
    })();
    return this.running;
  }

  runLastResort(): void {
    for (const step of this.lastResort) {
      try {
        step();
      } catch {
        // best effort: the process is exiting
      }
    }
  }
}
