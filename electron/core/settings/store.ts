// The settings file in the data dir, shared by the Electron shell and the headless twin. The file
// engine is injected (SettingsStore): electron-store in the shell, conf — electron-store's own
// engine — in the twin, both opened with the same options, so both read and write one file in one
// format. Writes are atomic (write-then-rename with fsync: a kill -9 mid-write leaves the old file
// or the new one, never a torn one). A file that cannot be read as valid settings is moved aside,
// never deleted, and defaults are used, so a bad hand edit cannot put the app into a crash loop.
import fs from 'node:fs';
import path from 'node:path';
import { SETTINGS_SCHEMA_VERSION, migrateSettingsDocument } from './migrate';
import { applySettingsPatch, DEFAULT_SETTINGS, type Settings } from './schema';

export const SETTINGS_FILE = 'settings.json';

/** What Pincer needs of conf / electron-store: the file's path and the whole document. */
export interface SettingsStore {
  readonly path: string;
  /** Reading throws a SyntaxError when the file is not a JSON object; writing is atomic. */
  store: Record<string, unknown>;
}

/** The options both engines get (electron-store calls `configName` `name`). */
export interface SettingsStoreOptions {
  cwd: string;
  configName: string;
  fileExtension: string;
  configFileMode: number;
  serialize: (value: Record<string, unknown>) => string;
  deserialize: (text: string) => Record<string, unknown>;
}

export type OpenSettingsStore = (options: SettingsStoreOptions) => SettingsStore;

export function settingsStoreOptions(dataDir: string): SettingsStoreOptions {
  return {
    cwd: dataDir,
    configName: path.basename(SETTINGS_FILE, '.json'),
    fileExtension: 'json',
    configFileMode: 0o600,
    // The same layout as the hand-written file before electron-store, so diffs of hand edits stay small.
    serialize: (value) => `${JSON.stringify(value, null, 2)}\n`,
    deserialize: (text) => {
      const value: unknown = JSON.parse(text);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SyntaxError('the file is not a JSON object');
      return value as Record<string, unknown>;
    },
  };
}

export interface LoadedSettings {
  settings: Settings;
  /** Where saves go. */
  store: SettingsStore;
  /** Set when the file on disk was unusable: what happened and where the bad file went. */
  problem?: string;
}

/** Temp files of writes that a crash interrupted (atomically's, and Pincer 0.1's own). */
function removeStaleTempFiles(dataDir: string): void {
  for (const name of fs.readdirSync(dataDir)) {
    if (/^settings\.json\.(tmp-[0-9]{10}[0-9a-f]{6}|\d+\.tmp)$/.test(name)) fs.rmSync(path.join(dataDir, name), { force: true });
  }
}

function documentOf(settings: Settings): Record<string, unknown> {
  return { schemaVersion: SETTINGS_SCHEMA_VERSION, ...settings };
}

/** A stored document → settings, migrating older versions; or why it cannot be used. */
function readDocument(document: Record<string, unknown>): { ok: true; settings: Settings; migrated: boolean } | { ok: false; reason: string } {
  const migration = migrateSettingsDocument(document);
  if (!migration.ok) return migration;
  const { schemaVersion: _version, ...fields } = migration.document;
  const result = applySettingsPatch(DEFAULT_SETTINGS, fields);
  if (!result.ok) return { ok: false, reason: result.errors.map((e) => `${e.field} ${e.message}`).join('; ') };
  const existed = Object.keys(document).length > 0;
  return { ok: true, settings: result.settings, migrated: existed && migration.fromVersion < SETTINGS_SCHEMA_VERSION };
}

export function loadSettings(dataDir: string, open: OpenSettingsStore): LoadedSettings {
  fs.mkdirSync(dataDir, { recursive: true });
  removeStaleTempFiles(dataDir);
  const options = settingsStoreOptions(dataDir);
  let reason: string;
  try {
    const store = open(options);
    const read = readDocument(store.store);
    if (read.ok) {
      if (read.migrated) store.store = documentOf(read.settings);
      return { settings: read.settings, store };
    }
    reason = read.reason;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    reason = `not valid JSON (${error.message})`;
  }
  const file = path.join(dataDir, SETTINGS_FILE);
  const aside = `${file}.invalid-${Date.now()}`;
  fs.renameSync(file, aside);
  return {
    settings: DEFAULT_SETTINGS,
    store: open(options),
    problem: `Settings file was unusable (${reason}); using defaults. The old file was kept as ${aside}.`,
  };
}

export function saveSettings(store: SettingsStore, settings: Settings): void {
  store.store = documentOf(settings);
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
