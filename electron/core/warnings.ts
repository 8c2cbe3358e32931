// The status's warnings, one slot per source: each part of Pincer that notices a non-fatal
// condition (the socket monitor, the gateway's configuration, …) sets or clears its own slot,
// and the status shows them all, in the order the sources first spoke.
/** One per part of Pincer that warns; add a member for a new source. */
export type WarningSource = 'sockets';

export class WarningBoard {
  private readonly slots = new Map<WarningSource, string>();

  constructor(private readonly onChange: (warnings: string[]) => void) {}

  /** Sets (text) or clears (undefined) one source's warning; reports only a real change. */
  set(source: WarningSource, text: string | undefined): void {
    if (this.slots.get(source) === text) return;
    if (text === undefined) this.slots.delete(source);
    else this.slots.set(source, text);
    this.onChange(this.list());
  }

  list(): string[] {
    return [...this.slots.values()];
  }
}
