// The restart a settings change needs. Bursts of changes are debounced into one; and unlike a
// user restart it must end with a generation launched with the current settings, so it never
// just joins a restart: that flow may have launched its generation before the change. It waits
// for a start or restart in flight, then restarts unless that generation has them.
import { needsRestart, type Settings } from '../settings/schema';
import type { GatewayState } from '../status';
import type { FlowTracker } from './flows';
import type { Generation } from './generation';

export interface SettingsRestartHost {
  flows: FlowTracker;
  settings: () => Settings;
  state: () => GatewayState;
  current: () => Generation | undefined;
  /** A restart that joins no completed one. */
  restart: () => Promise<void>;
}

export class SettingsRestart {
  private timer?: NodeJS.Timeout;

  constructor(private readonly host: SettingsRestartHost) {}

  /** Any number of calls within `delayMs` of each other → one restart. */
  schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delayMs);
  }

  cancel(): void {
    clearTimeout(this.timer);
  }

  private async run(): Promise<void> {
    const { host } = this;
    const inFlight = host.flows.starting();
    if (inFlight) {
      await inFlight.catch(() => undefined); // its own caller hears about a failure
      const state = host.state();
      if (state === 'stopped' || state === 'stopping') return; // the next start reads the settings anyway
      const launchedWith = host.current()?.launchedWith;
      if (launchedWith && !needsRestart(launchedWith, host.settings())) return;
    }
    await host.restart();
  }
}
