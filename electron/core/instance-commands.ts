// The commands a running Pincer takes from outside: from the pincer CLI (over the HTTP API) and,
// in the desktop app, from a second launch's arguments (`Pincer --quit`). Pure.
export const INSTANCE_COMMANDS = ['status', 'start', 'stop', 'restart', 'logs', 'open', 'quit'] as const;
export type InstanceCommand = (typeof INSTANCE_COMMANDS)[number];

/** What a second launch of the desktop app may ask of the first (it has no console to print to). */
export const LAUNCH_COMMANDS = ['start', 'stop', 'restart', 'open', 'quit'] as const satisfies readonly InstanceCommand[];
export type LaunchCommand = (typeof LAUNCH_COMMANDS)[number];

/**
 * The command in a launch's argv (`--quit`, …), wherever it stands: Electron and Windows put
 * their own switches around the user's. Undefined when there is none.
 */
export function launchCommand(argv: readonly string[]): LaunchCommand | undefined {
  for (const arg of argv) {
    const command = LAUNCH_COMMANDS.find((name) => arg === `--${name}`);
    if (command) return command;
  }
  return undefined;
}

/** Exit codes of the pincer CLI, also used by the front ends where they apply (README: "Command line"). */
export const EXIT = {
  ok: 0,
  /** The instance answered with an error, or the command failed. */
  failed: 1,
  /** Bad command line: a usage message follows. */
  usage: 2,
  /** Another Pincer already supervises this data dir (a second `npm run serve`, or the desktop app). */
  dataDirInUse: 3,
  /** No Pincer is running on this data dir. */
  noInstance: 4,
} as const;
