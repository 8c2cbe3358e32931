// The settings file in the data dir, shared by the Electron shell and the headless twin.
// Writes are write-then-rename (a kill -9 mid-write leaves the old file or the new one, never
// a torn one). A file that cannot be read as valid settings is moved aside, never deleted, and
// defaults are used, so a bad hand edit cannot put the app into a crash loop.
import fs from 'node:fs';
import path from 'node:path';
import { applySettingsPatch, DEFAULT_SETTINGS, type Settings } from './schema';

export const SETTINGS_FILE = 'settings.json';

export interface LoadedSettings {
  settings: Settings;
  /** Set when the file on disk was unusable: what happened and where the bad file went. */
  problem?: string;
}

/** Temp files of writes that a crash interrupted; the settings file itself is always whole. */
function removeStaleTempFiles(dataDir: string): void {
  for (const name of fs.readdirSync(dataDir)) {
    if (/^settings\.json\.\d+\.tmp$/.test(name)) fs.rmSync(path.join(dataDir, name), { force: true });
  }
}

export function loadSettings(dataDir: string): LoadedSettings {
  const file = path.join(dataDir, SETTINGS_FILE);
  if (fs.existsSync(dataDir)) removeStaleTempFiles(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { settings: DEFAULT_SETTINGS };
    throw error;
  }
  let reason: string;
  try {
    const result = applySettingsPatch(DEFAULT_SETTINGS, JSON.parse(text));
    if (result.ok) return { settings: result.settings };
    reason = result.errors.map((e) => `${e.field} ${e.message}`).join('; ');
  } catch (error) {
    reason = `not valid JSON (${(error as Error).message})`;
  }
  const aside = `${file}.invalid-${Date.now()}`;
  fs.renameSync(file, aside);
  return {
    settings: DEFAULT_SETTINGS,
    problem: `Settings file was unusable (${reason}); using defaults. The old file was kept as ${aside}.`,
  };
}

/** Writes a file so that readers see the old or the new content, never a partial one. */
export function writeFileAtomic(file: string, content: string, mode = 0o600): void {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temp, 'w', mode);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
}

export function saveSettings(dataDir: string, settings: Settings): void {
  fs.mkdirSync(dataDir, { recursive: true });
  writeFileAtomic(path.join(dataDir, SETTINGS_FILE), `${JSON.stringify(settings, null, 2)}\n`);
}
