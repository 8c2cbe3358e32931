// OpenClaw's own service, installed by `openclaw gateway install` / `onboard --install-daemon`: a
// systemd user unit, a launchd agent or a Scheduled Task (whose script sits in the state dir). It
// competes with Pincer for the port; the dashboard says it is there. Pure over a FileProbe.
import type { InstalledService } from '../status';
import type { FileProbe } from './files';
import { pathsFor } from './shim';

export interface ServiceFacts {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  /** OpenClaw's state dir (gateway.cmd of the Scheduled Task lives there). */
  stateDir: string;
  files: FileProbe;
}

export function findInstalledServices(facts: ServiceFacts): InstalledService[] {
  const { join } = pathsFor(facts.platform);
  const { env, home, files } = facts;
  const found: InstalledService[] = [];
  if (facts.platform === 'linux') {
    // openclaw-gateway.service, or openclaw-gateway-<profile>.service for a named profile.
    const dir = join(env.XDG_CONFIG_HOME || join(home, '.config'), 'systemd', 'user');
    for (const name of files.list(dir))
      if (/^openclaw-gateway(-[^.]+)?\.service$/.test(name)) found.push({ manager: 'systemd', file: join(dir, name) });
  }
  if (facts.platform === 'darwin') {
    const dir = join(home, 'Library', 'LaunchAgents');
    for (const name of files.list(dir))
      if (/^ai\.openclaw\.gateway(\.[^.]+)?\.plist$/.test(name)) found.push({ manager: 'launchd', file: join(dir, name) });
  }
  if (facts.platform === 'win32') {
    const script = join(facts.stateDir, 'gateway.cmd');
    if (files.isFile(script)) found.push({ manager: 'schtasks', file: script });
  }
  return found;
}
