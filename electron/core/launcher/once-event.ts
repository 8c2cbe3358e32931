// A one-time event for process facts (spawned, failed, exited): it fires at most once, and a
// listener added afterwards is called at once — so late subscribers never miss an exit.
export class OnceEvent<T> {
  private listeners: Array<(value: T) => void> = [];
  private fired: { value: T } | undefined;

  get done(): boolean {
    return this.fired !== undefined;
  }

  on(listener: (value: T) => void): void {
    if (this.fired) listener(this.fired.value);
    else this.listeners.push(listener);
  }

  emit(value: T): void {
    if (this.fired) return;
    this.fired = { value };
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener(value);
  }

  /** Resolves with the value once fired. */
  promise(): Promise<T> {
    return new Promise((resolve) => this.on(resolve));
  }
}
