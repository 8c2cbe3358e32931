import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applySettingsPatch, DEFAULT_SETTINGS, needsRestart } from '../../electron/core/settings/schema';
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
    ['heartbeat (applies live)', { heartbeatMs: 10_000 }, false],
    ['allowed origins (apply live)', { allowedOrigins: ['https://a.example'] }, false],
  ])('%s → %s', (_name, patch, expected) => {
    const result = applySettingsPatch(DEFAULT_SETTINGS, patch);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(needsRestart(DEFAULT_SETTINGS, result.settings)).toBe(expected);
  });
});

describe('settings file', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-settings-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('missing file → defaults, no problem', () => {
    expect(loadSettings(tempDir())).toEqual({ settings: DEFAULT_SETTINGS });
  });

  it('round-trips, written 0600 with no temp file left', () => {
    const dir = tempDir();
    const settings = { ...DEFAULT_SETTINGS, gatewayPort: 20001 };
    saveSettings(dir, settings);
    expect(loadSettings(dir).settings).toEqual(settings);
    expect(fs.statSync(path.join(dir, SETTINGS_FILE)).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual([SETTINGS_FILE]);
  });

  it.each([
    ['truncated JSON', '{"gatewayPort": 20'],
    ['empty file', ''],
    ['invalid values', '{"gatewayPort": 1}'],
    ['not an object', '[1,2]'],
  ])('%s → defaults, the bad file kept aside, a clear message', (_name, content) => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, SETTINGS_FILE), content);
    const loaded = loadSettings(dir);
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(loaded.problem).toMatch(/unusable.*using defaults/);
    const aside = fs.readdirSync(dir).filter((f) => f.startsWith(`${SETTINGS_FILE}.invalid-`));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, aside[0]), 'utf8')).toBe(content);
  });
});
