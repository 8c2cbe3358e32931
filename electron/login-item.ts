// "Start Pincer at login": a login item on macOS and Windows (app.setLoginItemSettings), an XDG
// autostart entry on Linux (~/.config/autostart, or $XDG_CONFIG_HOME/autostart). Either way the
// launch carries --hidden, so a start at login opens no window — only the tray.
import fs from 'node:fs';
import path from 'node:path';
import type { App } from 'electron';

export const HIDDEN_ARG = '--hidden';
export const AUTOSTART_FILE_NAME = 'pincer.desktop';

export interface LoginItemHost {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  app: Pick<App, 'setLoginItemSettings' | 'getPath' | 'getAppPath' | 'isPackaged'>;
}

export function autostartFile(env: NodeJS.ProcessEnv, homeDir: string): string {
  // The XDG spec: an unset or relative XDG_CONFIG_HOME means ~/.config.
  const configHome = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homeDir, '.config');
  return path.join(configHome, 'autostart', AUTOSTART_FILE_NAME);
}

/**
 * What starts this Pincer: the AppImage when run from one (its mount point changes every run),
 * the Windows portable exe on the stick (not its temp unpack), else the executable — plus the app
 * folder when it is a development run (`electron .`).
 */
export function launchCommand(host: LoginItemHost): string[] {
  const packaged = host.env.APPIMAGE || host.env.PORTABLE_EXECUTABLE_FILE;
  if (packaged) return [packaged];
  const exe = host.app.getPath('exe');
  return host.app.isPackaged ? [exe] : [exe, host.app.getAppPath()];
}

/** An Exec argument quoted as the Desktop Entry spec asks (inside quotes: \ " ` $ escaped; % doubled). */
function execArgument(arg: string): string {
  const quoted = arg.replace(/[\\"`$]/g, (c) => `\\${c}`).replace(/%/g, '%%');
  // The file format's own escaping then doubles each backslash.
  return `"${quoted.replace(/\\/g, '\\\\')}"`;
}

export function desktopEntry(command: string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Pincer',
    'Comment=Keeps the local AI gateway running',
    `Exec=${[...command, HIDDEN_ARG].map(execArgument).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Makes the system's login start match the setting (also at every start: an AppImage may have moved). */
export function applyStartAtLogin(enabled: boolean, host: LoginItemHost): void {
  if (host.platform === 'linux') {
    const file = autostartFile(host.env, host.app.getPath('home'));
    if (!enabled) {
      fs.rmSync(file, { force: true });
      return;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, desktopEntry(launchCommand(host)));
    return;
  }
  const [target, ...args] = launchCommand(host);
  host.app.setLoginItemSettings({ openAtLogin: enabled, path: target, args: [...args, HIDDEN_ARG] });
}

/** Started by the login item / autostart entry (macOS may drop args: it reports wasOpenedAtLogin instead). */
export function launchedAtLogin(argv: readonly string[], wasOpenedAtLogin: boolean): boolean {
  return argv.includes(HIDDEN_ARG) || wasOpenedAtLogin;
}
