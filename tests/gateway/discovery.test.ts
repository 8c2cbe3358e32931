// Finding a user's own OpenClaw, per platform and layout, on virtual trees (every install method
// a user may have used), plus the real Linux case on disk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findUserInstalls, npmGlobalRoot, type DiscoveryFacts, type FoundInstall } from '../../electron/core/gateway/discover';
import { realFiles } from '../../electron/core/gateway/files';
import { packageFromExecutable } from '../../electron/core/gateway/shim';
import { openclawPackage, virtualFiles, type Entry } from './virtual-files';

const WIN_CMD_SHIM = [
  '@ECHO off',
  'GOTO start',
  ':find_dp0',
  'SET dp0=%~dp0',
  'EXIT /b',
  ':start',
  'SETLOCAL',
  'CALL :find_dp0',
  'IF EXIST "%dp0%\\node.exe" (',
  '  SET "_prog=%dp0%\\node.exe"',
  ') ELSE (',
  '  SET "_prog=node"',
  ')',
  'endLocal & goto #_undefined_# 2>NUL || title %COMSPEC% & "%_prog%"  "%dp0%\\node_modules\\openclaw\\openclaw.mjs" %*',
].join('\r\n');

const PNPM_SH_SHIM = [
  '#!/bin/sh',
  'basedir=$(dirname "$(echo "$0" | sed -e \'s,\\\\,/,g\')")',
  'if [ -x "$basedir/node" ]; then',
  '  exec "$basedir/node"  "$basedir/global/5/node_modules/openclaw/openclaw.mjs" "$@"',
  'else',
  '  exec node  "$basedir/global/5/node_modules/openclaw/openclaw.mjs" "$@"',
  'fi',
].join('\n');

const INSTALLER_WRAPPER =
  '#!/usr/bin/env bash\nset -euo pipefail\nexec "/home/u/.openclaw/tools/node/bin/node" "/home/u/.openclaw/lib/node_modules/openclaw/openclaw.mjs" "$@"\n';

interface Row {
  name: string;
  platform: NodeJS.Platform;
  env: Record<string, string>;
  home: string;
  tree: Record<string, Entry>;
  expected: Array<Partial<FoundInstall>>;
}

const LINUX_PATH = '/usr/local/bin:/usr/bin:/bin';
const ROWS: Row[] = [
  {
    name: 'Linux, npm -g with a system Node: the bin symlink on PATH',
    platform: 'linux',
    env: { PATH: LINUX_PATH },
    home: '/home/u',
    tree: {
      '/usr/local/bin/node': 'ELF',
      '/usr/local/bin/openclaw': { link: '../lib/node_modules/openclaw/openclaw.mjs' },
      ...openclawPackage('/usr/local/lib/node_modules/openclaw', 'linux'),
    },
    expected: [{ packageDir: '/usr/local/lib/node_modules/openclaw', via: 'PATH' }],
  },
  {
    name: 'Linux, prefix in ~/.npmrc, its bin not on PATH: the global root of the Node on PATH',
    platform: 'linux',
    env: { PATH: LINUX_PATH },
    home: '/home/u',
    tree: {
      '/usr/bin/node': 'ELF',
      '/home/u/.npmrc': 'fund=false\nprefix = ~/.npm-global\n',
      ...openclawPackage('/home/u/.npm-global/lib/node_modules/openclaw', 'linux'),
    },
    expected: [{ packageDir: '/home/u/.npm-global/lib/node_modules/openclaw', via: 'npm-global' }],
  },
  {
    name: 'Linux, npm_config_prefix in the environment wins over ~/.npmrc',
    platform: 'linux',
    env: { PATH: LINUX_PATH, npm_config_prefix: '/opt/npm' },
    home: '/home/u',
    tree: { '/usr/bin/node': 'ELF', '/home/u/.npmrc': 'prefix=/elsewhere\n', ...openclawPackage('/opt/npm/lib/node_modules/openclaw', 'linux') },
    expected: [{ packageDir: '/opt/npm/lib/node_modules/openclaw', via: 'npm-global' }],
  },
  {
    name: 'Linux, nvm: the newest Node that has openclaw, run with that Node',
    platform: 'linux',
    env: { PATH: LINUX_PATH },
    home: '/home/u',
    tree: {
      '/home/u/.nvm/versions/node/v22.1.0/bin/node': 'ELF',
      '/home/u/.nvm/versions/node/v24.16.0/bin/node': 'ELF',
      ...openclawPackage('/home/u/.nvm/versions/node/v24.16.0/lib/node_modules/openclaw', 'linux'),
    },
    expected: [
      {
        packageDir: '/home/u/.nvm/versions/node/v24.16.0/lib/node_modules/openclaw',
        via: 'nvm',
        node: '/home/u/.nvm/versions/node/v24.16.0/bin/node',
      },
    ],
  },
  {
    name: 'Linux, nvm current on PATH (symlinked node): found through PATH first',
    platform: 'linux',
    env: { PATH: `/home/u/.nvm/versions/node/v24.16.0/bin:${LINUX_PATH}` },
    home: '/home/u',
    tree: {
      '/home/u/.nvm/versions/node/v24.16.0/bin/node': 'ELF',
      '/home/u/.nvm/versions/node/v24.16.0/bin/openclaw': { link: '../lib/node_modules/openclaw/openclaw.mjs' },
      ...openclawPackage('/home/u/.nvm/versions/node/v24.16.0/lib/node_modules/openclaw', 'linux'),
    },
    expected: [{ packageDir: '/home/u/.nvm/versions/node/v24.16.0/lib/node_modules/openclaw', via: 'PATH' }],
  },
  {
    name: 'macOS, fnm',
    platform: 'darwin',
    env: { PATH: '/usr/bin:/bin' },
    home: '/Users/u',
    tree: {
      '/Users/u/Library/Application Support/fnm/node-versions/v24.16.0/installation/bin/node': 'Mach-O',
      ...openclawPackage('/Users/u/Library/Application Support/fnm/node-versions/v24.16.0/installation/lib/node_modules/openclaw', 'darwin'),
    },
    expected: [{ via: 'fnm', node: '/Users/u/Library/Application Support/fnm/node-versions/v24.16.0/installation/bin/node' }],
  },
  {
    name: 'macOS, volta: its package image, run on Volta’s newest Node',
    platform: 'darwin',
    env: { PATH: '/usr/bin:/bin' },
    home: '/Users/u',
    tree: {
      '/Users/u/.volta/tools/image/node/22.0.0/bin/node': 'Mach-O',
      '/Users/u/.volta/tools/image/node/24.16.0/bin/node': 'Mach-O',
      ...openclawPackage('/Users/u/.volta/tools/image/packages/openclaw/lib/node_modules/openclaw', 'darwin'),
    },
    expected: [
      {
        packageDir: '/Users/u/.volta/tools/image/packages/openclaw/lib/node_modules/openclaw',
        via: 'volta',
        node: '/Users/u/.volta/tools/image/node/24.16.0/bin/node',
      },
    ],
  },
  {
    name: 'Linux, pnpm add -g: its sh shim on PATH, through the link into pnpm’s store',
    platform: 'linux',
    env: { PATH: `/home/u/.local/share/pnpm:${LINUX_PATH}` },
    home: '/home/u',
    tree: {
      '/usr/bin/node': 'ELF',
      '/home/u/.local/share/pnpm/openclaw': PNPM_SH_SHIM,
      '/home/u/.local/share/pnpm/global/5/node_modules/openclaw': { link: '.pnpm/openclaw@2026.9.6/node_modules/openclaw' },
      ...openclawPackage('/home/u/.local/share/pnpm/global/5/node_modules/.pnpm/openclaw@2026.9.6/node_modules/openclaw', 'linux'),
    },
    expected: [{ packageDir: '/home/u/.local/share/pnpm/global/5/node_modules/.pnpm/openclaw@2026.9.6/node_modules/openclaw', via: 'PATH' }],
  },
  {
    name: 'Linux, OpenClaw’s install-cli.sh: its wrapper on PATH names its own Node',
    platform: 'linux',
    env: { PATH: `/home/u/.openclaw/bin:${LINUX_PATH}` },
    home: '/home/u',
    tree: {
      '/home/u/.openclaw/bin/openclaw': INSTALLER_WRAPPER,
      '/home/u/.openclaw/tools/node/bin/node': 'ELF',
      ...openclawPackage('/home/u/.openclaw/lib/node_modules/openclaw', 'linux'),
    },
    expected: [{ packageDir: '/home/u/.openclaw/lib/node_modules/openclaw', via: 'PATH', node: '/home/u/.openclaw/tools/node/bin/node' }],
  },
  {
    name: 'Linux, install-cli.sh layout without PATH set up: the installer’s prefix',
    platform: 'linux',
    env: { PATH: LINUX_PATH },
    home: '/home/u',
    tree: { '/home/u/.openclaw/tools/node/bin/node': 'ELF', ...openclawPackage('/home/u/.openclaw/lib/node_modules/openclaw', 'linux') },
    expected: [{ packageDir: '/home/u/.openclaw/lib/node_modules/openclaw', via: 'installer', node: '/home/u/.openclaw/tools/node/bin/node' }],
  },
  {
    name: 'Windows, npm -g: openclaw.cmd on PATH (the shim’s node.exe absent: Node from PATH)',
    platform: 'win32',
    env: {
      Path: 'C:\\Program Files\\nodejs;C:\\Users\\u\\AppData\\Roaming\\npm',
      PATHEXT: '.COM;.EXE;.BAT;.CMD',
      APPDATA: 'C:\\Users\\u\\AppData\\Roaming',
    },
    home: 'C:\\Users\\u',
    tree: {
      'C:\\Program Files\\nodejs\\node.exe': 'MZ',
      'C:\\Users\\u\\AppData\\Roaming\\npm\\openclaw.cmd': WIN_CMD_SHIM,
      'C:\\Users\\u\\AppData\\Roaming\\npm\\openclaw': PNPM_SH_SHIM,
      ...openclawPackage('C:\\Users\\u\\AppData\\Roaming\\npm\\node_modules\\openclaw', 'win32'),
    },
    expected: [{ packageDir: 'C:\\Users\\u\\AppData\\Roaming\\npm\\node_modules\\openclaw', via: 'PATH' }],
  },
  {
    name: 'Windows, a shim with node.exe beside it runs with that node.exe',
    platform: 'win32',
    env: { PATH: 'D:\\tools\\node', PATHEXT: '.EXE;.CMD' },
    home: 'C:\\Users\\u',
    tree: {
      'D:\\tools\\node\\node.exe': 'MZ',
      'D:\\tools\\node\\openclaw.cmd': WIN_CMD_SHIM,
      ...openclawPackage('D:\\tools\\node\\node_modules\\openclaw', 'win32'),
    },
    expected: [{ packageDir: 'D:\\tools\\node\\node_modules\\openclaw', via: 'PATH', node: 'D:\\tools\\node\\node.exe' }],
  },
  {
    name: 'Windows, npm’s default prefix %APPDATA%\\npm not on PATH: the global root',
    platform: 'win32',
    env: { Path: 'C:\\Program Files\\nodejs', APPDATA: 'C:\\Users\\u\\AppData\\Roaming' },
    home: 'C:\\Users\\u',
    tree: { 'C:\\Program Files\\nodejs\\node.exe': 'MZ', ...openclawPackage('C:\\Users\\u\\AppData\\Roaming\\npm\\node_modules\\openclaw', 'win32') },
    expected: [{ packageDir: 'C:\\Users\\u\\AppData\\Roaming\\npm\\node_modules\\openclaw', via: 'npm-global' }],
  },
  {
    name: 'Windows, nvm-windows',
    platform: 'win32',
    env: { Path: 'C:\\Windows', NVM_HOME: 'C:\\Users\\u\\AppData\\Roaming\\nvm' },
    home: 'C:\\Users\\u',
    tree: {
      'C:\\Users\\u\\AppData\\Roaming\\nvm\\v24.16.0\\node.exe': 'MZ',
      ...openclawPackage('C:\\Users\\u\\AppData\\Roaming\\nvm\\v24.16.0\\node_modules\\openclaw', 'win32'),
    },
    expected: [{ via: 'nvm', node: 'C:\\Users\\u\\AppData\\Roaming\\nvm\\v24.16.0\\node.exe' }],
  },
  {
    name: 'an `openclaw` on PATH that is some other program is ignored',
    platform: 'linux',
    env: { PATH: LINUX_PATH },
    home: '/home/u',
    tree: { '/usr/local/bin/openclaw': '#!/bin/sh\necho not the real one\n', '/usr/bin/node': 'ELF' },
    expected: [],
  },
  {
    name: 'the same package reached twice (PATH and the npm root) is listed once',
    platform: 'linux',
    env: { PATH: LINUX_PATH },
    home: '/home/u',
    tree: {
      '/usr/local/bin/node': 'ELF',
      '/usr/local/bin/openclaw': { link: '../lib/node_modules/openclaw/openclaw.mjs' },
      ...openclawPackage('/usr/local/lib/node_modules/openclaw', 'linux'),
      ...openclawPackage('/home/u/.nvm/versions/node/v24.16.0/lib/node_modules/openclaw', 'linux'),
    },
    expected: [{ via: 'PATH' }, { via: 'nvm' }],
  },
  { name: 'nothing installed', platform: 'darwin', env: { PATH: '/usr/bin' }, home: '/Users/u', tree: { '/usr/bin/node': 'Mach-O' }, expected: [] },
];

describe('finding the user’s OpenClaw', () => {
  it.each(ROWS)('$name', (row) => {
    const facts: DiscoveryFacts = { platform: row.platform, env: row.env, home: row.home, files: virtualFiles(row.platform, row.tree) };
    const found = findUserInstalls(facts);
    expect(found).toHaveLength(row.expected.length);
    row.expected.forEach((expected, index) => expect(found[index]).toMatchObject(expected));
    if (row.expected.length > 0 && !('node' in row.expected[0]!)) expect(found[0]!.node).toBeUndefined();
  });

  it.each([
    [
      'env beats everything',
      { npm_config_prefix: '/env' },
      { '/home/u/.npmrc': 'prefix=/user', '/usr/etc/npmrc': 'prefix=/global' },
      '/env/lib/node_modules',
    ],
    ['~/.npmrc beats the global npmrc', {}, { '/home/u/.npmrc': 'prefix=/user', '/usr/etc/npmrc': 'prefix=/global' }, '/user/lib/node_modules'],
    [
      'the global npmrc beats npm’s builtin',
      {},
      { '/usr/etc/npmrc': 'prefix=/global', '/usr/lib/node_modules/npm/npmrc': 'prefix=/builtin' },
      '/global/lib/node_modules',
    ],
    ['npm’s builtin npmrc', {}, { '/usr/lib/node_modules/npm/npmrc': 'prefix=/builtin' }, '/builtin/lib/node_modules'],
    ['${VAR} in a prefix is expanded', { MY_PREFIX: '/from/var' }, { '/home/u/.npmrc': 'prefix=${MY_PREFIX}' }, '/from/var/lib/node_modules'],
    ['default: the folder above node’s bin', {}, {}, '/usr/lib/node_modules'],
  ] as const)('npm prefix on Linux: %s', (_name, env, files, expected) => {
    const facts: DiscoveryFacts = { platform: 'linux', env, home: '/home/u', files: virtualFiles('linux', files) };
    expect(npmGlobalRoot('/usr/bin/node', facts)).toBe(expected);
  });

  describe('the real Linux case, on disk', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-discovery-'));
    afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

    it('follows the bin symlink npm makes to the package, as on this machine', () => {
      const prefix = path.join(root, 'prefix');
      const pkg = path.join(prefix, 'lib', 'node_modules', 'openclaw');
      fs.mkdirSync(pkg, { recursive: true });
      fs.mkdirSync(path.join(prefix, 'bin'));
      for (const [file, text] of Object.entries(openclawPackage(pkg, 'linux'))) fs.writeFileSync(file, text as string);
      fs.symlinkSync('../lib/node_modules/openclaw/openclaw.mjs', path.join(prefix, 'bin', 'openclaw'));
      const env = { PATH: `${path.join(prefix, 'bin')}:${path.dirname(process.execPath)}` };
      const found = findUserInstalls({ platform: 'linux', env, home: path.join(root, 'home'), files: realFiles });
      expect(found[0]).toEqual({ packageDir: fs.realpathSync(pkg), via: 'PATH' });
      expect(packageFromExecutable(path.join(prefix, 'bin', 'openclaw'), { platform: 'linux', files: realFiles })).toEqual({
        packageDir: fs.realpathSync(pkg),
      });
    });
  });
});
