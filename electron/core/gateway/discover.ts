// Where a user's own OpenClaw lives: `openclaw` on PATH, the global npm root of the Node on PATH
// (its npm prefix read from npm's config files, without spawning npm), and the global folders of
// the usual Node managers and of OpenClaw's own installer. Pure over a FileProbe: the app passes
// the real one, tests a virtual tree per platform.
import { compareVersions, parseVersion } from './engines';
import type { FileProbe } from './files';
import { findOnPath, isOpenClawPackage, packageFromExecutable, pathsFor, type Platform } from './shim';

export type InstallVia = 'PATH' | 'npm-global' | 'nvm' | 'fnm' | 'volta' | 'pnpm' | 'installer';

export interface FoundInstall {
  packageDir: string;
  via: InstallVia;
  /** The Node this install runs with, when its layout says (a shim's node, a manager's node). */
  node?: string;
}

export interface DiscoveryFacts {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  files: FileProbe;
}

function envValue(env: DiscoveryFacts['env'], name: string): string | undefined {
  return env[name] || env[name.toUpperCase()] || undefined;
}

/** `prefix=…` from an npmrc (ini), with ${VAR} and a leading ~ expanded. */
export function npmrcPrefix(text: string | undefined, facts: DiscoveryFacts): string | undefined {
  if (!text) return undefined;
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*prefix\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    let value = match[1]!.replace(/^(["'])(.*)\1$/, '$2');
    value = value.replace(/\$\{([^}]+)\}/g, (_, name: string) => facts.env[name] ?? '');
    if (value.startsWith('~')) value = pathsFor(facts.platform).join(facts.home, value.slice(1));
    if (value) return value;
  }
  return undefined;
}

/** The Node on PATH, resolved through links (nvm's, Homebrew's and distro symlinks). */
export function nodeOnPath(facts: DiscoveryFacts): string | undefined {
  const found = findOnPath('node', facts.env, facts);
  return found ? (facts.files.realpath(found) ?? found) : undefined;
}

/**
 * The global npm root npm would use with this Node: npm's prefix in its order of precedence —
 * npm_config_prefix, the user's npmrc, the global npmrc, npm's own builtin npmrc — else the default
 * (Unix: the folder above node's bin; Windows: %APPDATA%\npm).
 */
export function npmGlobalRoot(node: string | undefined, facts: DiscoveryFacts): string | undefined {
  const paths = pathsFor(facts.platform);
  const win = facts.platform === 'win32';
  const nodeDir = node && paths.dirname(node);
  const builtinPrefix = nodeDir && (win ? nodeDir : paths.dirname(nodeDir));
  const userconfig = envValue(facts.env, 'npm_config_userconfig') ?? paths.join(facts.home, '.npmrc');
  const globalconfig = envValue(facts.env, 'npm_config_globalconfig') ?? (builtinPrefix && paths.join(builtinPrefix, 'etc', 'npmrc'));
  const npmBuiltin = nodeDir && paths.join(nodeDir, ...(win ? [] : ['..', 'lib']), 'node_modules', 'npm', 'npmrc');
  const prefix =
    envValue(facts.env, 'npm_config_prefix') ??
    npmrcPrefix(facts.files.read(userconfig), facts) ??
    (globalconfig ? npmrcPrefix(facts.files.read(globalconfig), facts) : undefined) ??
    (npmBuiltin ? npmrcPrefix(facts.files.read(paths.normalize(npmBuiltin)), facts) : undefined) ??
    (win ? (facts.env.APPDATA ? paths.join(facts.env.APPDATA, 'npm') : undefined) : builtinPrefix);
  if (!prefix) return undefined;
  return win ? paths.join(prefix, 'node_modules') : paths.join(prefix, 'lib', 'node_modules');
}

/** Version folders (v24.1.0, 24.1.0) newest first. */
function versionFolders(dir: string, files: FileProbe): string[] {
  return files
    .list(dir)
    .map((name) => ({ name, version: parseVersion(name) }))
    .filter((entry) => entry.version !== undefined)
    .sort((a, b) => compareVersions(b.version!, a.version!))
    .map((entry) => entry.name);
}

interface Candidate {
  packageDir: string;
  via: InstallVia;
  node?: string;
}

/** Global folders of Node managers and OpenClaw's installer, in the order they are searched. */
function managerCandidates(facts: DiscoveryFacts): Candidate[] {
  const { join } = pathsFor(facts.platform);
  const { env, home, files, platform } = facts;
  const win = platform === 'win32';
  const mac = platform === 'darwin';
  const dataHome = env.XDG_DATA_HOME || join(home, '.local', 'share');
  const bin = (root: string) => (win ? join(root, 'node.exe') : join(root, 'bin', 'node'));
  const globalModules = (root: string) => (win ? join(root, 'node_modules') : join(root, 'lib', 'node_modules'));
  const candidates: Candidate[] = [];

  // nvm (nvm.sh) and nvm-windows: one global folder per installed Node.
  if (win) {
    const nvmHome = env.NVM_HOME;
    if (nvmHome)
      for (const v of versionFolders(nvmHome, files))
        candidates.push({ packageDir: join(nvmHome, v, 'node_modules', 'openclaw'), via: 'nvm', node: join(nvmHome, v, 'node.exe') });
  } else {
    const nvmDir = env.NVM_DIR || join(home, '.nvm');
    const versions = join(nvmDir, 'versions', 'node');
    for (const v of versionFolders(versions, files))
      candidates.push({ packageDir: join(globalModules(join(versions, v)), 'openclaw'), via: 'nvm', node: bin(join(versions, v)) });
  }
  // fnm
  const fnmDir =
    env.FNM_DIR ||
    (win
      ? join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'fnm')
      : mac
        ? join(home, 'Library', 'Application Support', 'fnm')
        : join(dataHome, 'fnm'));
  const fnmVersions = join(fnmDir, 'node-versions');
  for (const v of versionFolders(fnmVersions, files)) {
    const installation = join(fnmVersions, v, 'installation');
    candidates.push({ packageDir: join(globalModules(installation), 'openclaw'), via: 'fnm', node: bin(installation) });
  }
  // volta: each global package in its own image; it runs on Volta's default Node.
  const voltaHome = env.VOLTA_HOME || (win ? join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'Volta') : join(home, '.volta'));
  const voltaNodes = join(voltaHome, 'tools', 'image', 'node');
  const voltaNode = versionFolders(voltaNodes, files)[0];
  candidates.push({
    packageDir: join(globalModules(join(voltaHome, 'tools', 'image', 'packages', 'openclaw')), 'openclaw'),
    via: 'volta',
    node: voltaNode === undefined ? undefined : bin(join(voltaNodes, voltaNode)),
  });
  // pnpm's global store layout (global/5/node_modules, links into its content store).
  const pnpmHome =
    env.PNPM_HOME ||
    (win ? join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'pnpm') : mac ? join(home, 'Library', 'pnpm') : join(dataHome, 'pnpm'));
  for (const layout of versionFolders(join(pnpmHome, 'global'), files)) {
    candidates.push({ packageDir: join(pnpmHome, 'global', layout, 'node_modules', 'openclaw'), via: 'pnpm' });
  }
  // OpenClaw's installers: install-cli.sh (prefix ~/.openclaw, its own Node in tools/node) and
  // install.sh's user-local npm prefix (~/.npm-global).
  if (!win) {
    const prefix = env.OPENCLAW_PREFIX || join(home, '.openclaw');
    candidates.push({
      packageDir: join(prefix, 'lib', 'node_modules', 'openclaw'),
      via: 'installer',
      node: join(prefix, 'tools', 'node', 'bin', 'node'),
    });
    candidates.push({ packageDir: join(home, '.npm-global', 'lib', 'node_modules', 'openclaw'), via: 'installer' });
  }
  return candidates;
}

/** Every OpenClaw install found, in search order, each package once. */
export function findUserInstalls(facts: DiscoveryFacts): FoundInstall[] {
  const where: Platform = facts;
  const node = nodeOnPath(facts);
  const found: FoundInstall[] = [];
  const seen = new Set<string>();
  const add = (candidate: Candidate) => {
    const real = facts.files.realpath(candidate.packageDir);
    if (!real || seen.has(real) || !isOpenClawPackage(real, where)) return;
    seen.add(real);
    const ownNode = candidate.node && facts.files.isFile(candidate.node) ? candidate.node : undefined;
    found.push({ packageDir: real, via: candidate.via, ...(ownNode ? { node: ownNode } : {}) });
  };

  const bin = findOnPath('openclaw', facts.env, where);
  const target = bin ? packageFromExecutable(bin, where) : undefined;
  if (target) add({ packageDir: target.packageDir, via: 'PATH', node: target.node });
  const root = npmGlobalRoot(node, facts);
  if (root) add({ packageDir: pathsFor(facts.platform).join(root, 'openclaw'), via: 'npm-global' });
  for (const candidate of managerCandidates(facts)) add(candidate);
  return found;
}
