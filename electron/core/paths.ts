// Where Pincer keeps its data. Pure: the shell and the headless twin pass in the facts.
// Portable builds keep everything beside the executable so the app can live on a USB stick.
import path from 'node:path';

export interface DataDirFacts {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** The running executable (Electron: app.getPath('exe')). */
  exePath: string;
  homeDir: string;
  exists: (file: string) => boolean;
}

export type DataDirReason = 'override' | 'windows-portable' | 'appimage-marker' | 'portable-marker' | 'data-folder' | 'user';

export interface DataDir {
  dir: string;
  portable: boolean;
  reason: DataDirReason;
}

export const PORTABLE_MARKER = 'portable';
export const PORTABLE_DATA_FOLDER = 'data';

function pathsFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

function besides(folder: string, facts: DataDirFacts): DataDirReason | undefined {
  const { join } = pathsFor(facts.platform);
  if (facts.exists(join(folder, PORTABLE_MARKER))) return 'portable-marker';
  if (facts.exists(join(folder, PORTABLE_DATA_FOLDER))) return 'data-folder';
  return undefined;
}

function userDataDir(facts: DataDirFacts): string {
  // The same folder Electron's app.getPath('userData') uses for productName "Pincer".
  const { env, homeDir, platform } = facts;
  if (platform === 'win32') return path.win32.join(env.APPDATA ?? path.win32.join(homeDir, 'AppData', 'Roaming'), 'Pincer');
  if (platform === 'darwin') return path.posix.join(homeDir, 'Library', 'Application Support', 'Pincer');
  return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(homeDir, '.config'), 'Pincer');
}

export function resolveDataDir(facts: DataDirFacts): DataDir {
  const { env } = facts;
  if (env.PINCER_DATA_DIR) return { dir: env.PINCER_DATA_DIR, portable: false, reason: 'override' };
  // The Windows portable launcher unpacks to a temp dir; this variable is the folder of the .exe.
  if (env.PORTABLE_EXECUTABLE_DIR) {
    return { dir: path.win32.join(env.PORTABLE_EXECUTABLE_DIR, PORTABLE_DATA_FOLDER), portable: true, reason: 'windows-portable' };
  }
  if (env.APPIMAGE) {
    const folder = path.posix.dirname(env.APPIMAGE);
    if (besides(folder, facts)) return { dir: path.posix.join(folder, PORTABLE_DATA_FOLDER), portable: true, reason: 'appimage-marker' };
  }
  const { dirname, join } = pathsFor(facts.platform);
  const exeFolder = dirname(facts.exePath);
  const reason = besides(exeFolder, facts);
  if (reason) return { dir: join(exeFolder, PORTABLE_DATA_FOLDER), portable: true, reason };
  return { dir: userDataDir(facts), portable: false, reason: 'user' };
}

export function logsDir(dataDir: string): string {
  return path.join(dataDir, 'logs');
}

/** Where `npm run gateway:openclaw` installs OpenClaw and its Node runtime for development. */
export function gatewayCacheDir(env: Readonly<Record<string, string | undefined>>, homeDir: string): string {
  return path.join(env.XDG_CACHE_HOME || path.join(homeDir, '.cache'), 'pincer', 'gateway');
}
