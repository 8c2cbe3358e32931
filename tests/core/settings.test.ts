import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applySettingsPatch, DEFAULT_SETTINGS, needsRestart } from '../../electron/core/settings/schema';
import { openConfStore } from '../../electron/core/settings/conf-store';
import { migrateSettingsDocument, SETTINGS_SCHEMA_VERSION } from '../../electron/core/settings/migrate';
import { loadSettings, saveSettings, SETTINGS_FILE } from '../../electron/core/settings/store';

describe('applySettingsPatch', () => {
  it.each<[string, unknown, string]>([
    ['port below 1024', { gatewayPort: 80 }, 'gatewayPort'],
    ['port above 65535', { gatewayPort: 70000 }, 'gatewayPort'],
    ['port as a string', { gatewayPort: '28790' }, 'gatewayPort'],
    ['fractional port', { gatewayPort: 28789.5 }, 'gatewayPort'],
    ['unknown key', { colour: 'red' }, 'colour'],
    ['unknown kind', { gatewayKind: 'nginx' }, 'gatewayKind'],
    ['heartbeat too small', { heartbeatMs: 10 }, 'heartbeatMs'],
    ['boolean as a string', { autoStart: 'yes' }, 'autoStart'],
    ['start at login as a number', { startAtLogin: 1 }, 'startAtLogin'],
    ['notifications as a string', { notifications: 'off' }, 'notifications'],
    ['unknown language', { language: 'fr' }, 'language'],
    ['path with NUL', { openclawPath: 'a\0b' }, 'openclawPath'],
    ['origin with a path', { allowedOrigins: ['https://a.example/x'] }, 'allowedOrigins'],
    ['env with a bad name', { gatewayEnv: { 'A-B': '1' } }, 'gatewayEnv'],
    ['env overriding the token', { gatewayEnv: { OPENCLAW_GATEWAY_TOKEN: 'x' } }, 'gatewayEnv'],
    ['unknown restart knob', { restartPolicy: { retries: 3 } }, 'restartPolicy.retries'],
    ['base delay over max', { restartPolicy: { baseDelayMs: 5_000, maxDelayMs: 1_000 } }, 'restartPolicy.baseDelayMs'],
  ])('%s → error on %s, nothing changed', (_name, patch, field) => {
    const result = applySettingsPatch(DEFAULT_SETTINGS, patch);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((e) => e.field)).toContain(field);
      expect(result.errors.every((e) => e.message.length > 0)).toBe(true);
    }
  });

  it.each([null, [], 'x', 42])('refuses a non-object patch %o', (patch) => {
    expect(applySettingsPatch(DEFAULT_SETTINGS, patch).ok).toBe(false);
  });

  it('a patch with one bad field applies none of its fields', () => {
    const result = applySettingsPatch(DEFAULT_SETTINGS, { gatewayPort: 20000, heartbeatMs: 1 });
    expect(result.ok).toBe(false);
    expect(DEFAULT_SETTINGS.gatewayPort).toBe(18789);
  });

  it('merges a valid patch, nested policy included', () => {
    const result = applySettingsPatch(DEFAULT_SETTINGS, { gatewayPort: 20000, restartPolicy: { crashLoopMaxExits: 3 } });
    expect(result).toMatchObject({ ok: true, settings: { gatewayPort: 20000, restartPolicy: { crashLoopMaxExits: 3, baseDelayMs: 500 } } });
  });
});

describe('needsRestart', () => {
  it.each<[string, object, boolean]>([
    ['port', { gatewayPort: 20000 }, true],
    ['kind', { gatewayKind: 'reference' }, true],
    ['openclaw path', { openclawPath: '/opt/oc' }, true],
    ['node path', { nodePath: '/opt/node' }, true],
    ['gateway env', { gatewayEnv: { A: '1' } }, true],
    ['front door', { frontDoor: false }, true],
    ['auto-start (UI only)', { autoStart: false }, false],
    ['start minimized (UI only)', { startMinimized: true }, false],
    ['start at login (desktop only)', { startAtLogin: true }, false],
    ['notifications (desktop only)', { notifications: false }, false],
    ['language (UI only)', { language: 'zh-CN' }, false],
    ['heartbeat (applies live)', { heartbeatMs: 10_000 }, false],
    ['allowed origins (apply live)', { allowedOrigins: ['https://a.example'] }, false],
  ])('%s → %s', (_name, patch, expected) => {
    const result = applySettingsPatch(DEFAULT_SETTINGS, patch);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(needsRestart(DEFAULT_SETTINGS, result.settings)).toBe(expected);
  });
});

describe('settings file (conf, the engine both front ends share)', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-settings-'));
    dirs.push(dir);
    return dir;
  };
  const load = (dir: string) => loadSettings(dir, openConfStore);
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('missing file → defaults, no problem, nothing written', () => {
    const dir = tempDir();
    const loaded = load(dir);
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(loaded.problem).toBeUndefined();
    expect(loaded.store.path).toBe(path.join(dir, SETTINGS_FILE));
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('round-trips with the schema version, written 0600 with no temp file left', () => {
    const dir = tempDir();
    const settings = { ...DEFAULT_SETTINGS, gatewayPort: 20001 };
    saveSettings(load(dir).store, settings);
    expect(load(dir).settings).toEqual(settings);
    expect(fs.statSync(path.join(dir, SETTINGS_FILE)).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual([SETTINGS_FILE]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, SETTINGS_FILE), 'utf8'))).toEqual({ schemaVersion: SETTINGS_SCHEMA_VERSION, ...settings });
  });

  it("migrates Pincer 0.1's file (no schemaVersion): every setting kept, the version stamped, mode 0600", () => {
    const dir = tempDir();
    // Exactly what the hand-written store of 0.1 wrote: 2-space JSON of the whole Settings, 0600.
    const old = {
      ...DEFAULT_SETTINGS,
      gatewayPort: 24000,
      gatewayKind: 'reference',
      autoStart: false,
      startMinimized: true,
      allowedOrigins: ['https://a.example'],
      gatewayEnv: { A: '1' },
    };
    fs.writeFileSync(path.join(dir, SETTINGS_FILE), `${JSON.stringify(old, null, 2)}\n`, { mode: 0o600 });
    const loaded = load(dir);
    expect(loaded.problem).toBeUndefined();
    expect(loaded.settings).toMatchObject(old);
    const onDisk = JSON.parse(fs.readFileSync(path.join(dir, SETTINGS_FILE), 'utf8'));
    expect(onDisk).toMatchObject({ ...old, schemaVersion: SETTINGS_SCHEMA_VERSION });
    expect(fs.statSync(path.join(dir, SETTINGS_FILE)).mode & 0o777).toBe(0o600);
    // A partial old file (a user who changed one setting) keeps that one, defaults for the rest.
    fs.writeFileSync(path.join(dir, SETTINGS_FILE), '{"gatewayPort": 24001}');
    expect(load(dir).settings).toEqual({ ...DEFAULT_SETTINGS, gatewayPort: 24001 });
  });

  it("removes temp files of interrupted writes (atomically's and 0.1's), nothing else", () => {
    const dir = tempDir();
    for (const name of ['settings.json.tmp-1733312345abc123', 'settings.json.4242.tmp', 'notes.txt']) fs.writeFileSync(path.join(dir, name), 'x');
    load(dir);
    expect(fs.readdirSync(dir)).toEqual(['notes.txt']);
  });

  it.each([
    ['truncated JSON', '{"gatewayPort": 20', /not valid JSON/],
    ['empty file', '', /not valid JSON/],
    ['invalid values', '{"gatewayPort": 1}', /gatewayPort must be a whole number/],
    ['not an object', '[1,2]', /not a JSON object/],
    ['null', 'null', /not a JSON object/],
    ['a newer schema', '{"schemaVersion": 99, "gatewayPort": 20000}', /newer Pincer/],
    ['a bad schema version', '{"schemaVersion": "one"}', /schemaVersion "one" is not a version number/],
  ])('%s → defaults, the bad file kept aside, a clear message', (_name, content, reason) => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, SETTINGS_FILE), content);
    const loaded = load(dir);
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(loaded.problem).toMatch(/unusable.*using defaults/);
    expect(loaded.problem).toMatch(reason);
    const aside = fs.readdirSync(dir).filter((f) => f.startsWith(`${SETTINGS_FILE}.invalid-`));
    expect(aside).toHaveLength(1);
    expect(loaded.problem).toContain(aside[0]);
    expect(fs.readFileSync(path.join(dir, aside[0]!), 'utf8')).toBe(content);
    // Saving afterwards works on a fresh file.
    saveSettings(loaded.store, { ...DEFAULT_SETTINGS, gatewayPort: 20002 });
    expect(load(dir).settings.gatewayPort).toBe(20002);
  });
});

describe('migrateSettingsDocument', () => {
  it.each<[string, Record<string, unknown>, number]>([
    ['0.1 file (no version)', { gatewayPort: 20000 }, 0],
    ['empty file', {}, 0],
    ['current version', { schemaVersion: SETTINGS_SCHEMA_VERSION, gatewayPort: 20000 }, SETTINGS_SCHEMA_VERSION],
  ])('%s → current version, fields kept (from %#)', (_name, document, fromVersion) => {
    const result = migrateSettingsDocument(document);
    expect(result).toEqual({ ok: true, document: { ...document, schemaVersion: SETTINGS_SCHEMA_VERSION }, fromVersion });
  });

  it.each([[-1], [1.5], ['1'], [null]])('schemaVersion %o is refused with a reason', (version) => {
    const result = migrateSettingsDocument({ schemaVersion: version });
    expect(result.ok).toBe(false);
  });
});
