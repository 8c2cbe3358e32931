// Which launcher runs a spec in the Electron shell: a JS entry with no runtime of its own runs in
// Electron's utilityProcess; anything that names a real Node runtime (settings.nodePath, or the
// runtime bundled with OpenClaw — the embedding guide's advice) or an executable goes through the
// core's child_process launcher. Decided per launch, so a settings change applies on the next start.
import type { LaunchSpec, Launcher } from '../core/launcher/types';

export function needsChildProcess(spec: Pick<LaunchSpec, 'mode' | 'execPath'>): boolean {
  return spec.mode === 'spawn' || Boolean(spec.execPath);
}

export function createChoosingLauncher(utility: Launcher, childProcess: Launcher): Launcher {
  return {
    name: utility.name,
    launch: (spec) => (needsChildProcess(spec) ? childProcess : utility).launch(spec),
  };
}
