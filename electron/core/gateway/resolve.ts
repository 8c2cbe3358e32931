// Which gateway runs: settings path → bundled OpenClaw in resources → the user's own install →
// dev cache → reference. Each place looked at is reported, and a fallback to the reference
// gateway says why. An OpenClaw runs with the user's config and credential (never overridden).
import fs from 'node:fs';
import path from 'node:path';
import type { Settings } from '../settings/schema';
import { CANDIDATE_NOT_INSTALLED, type GatewayCandidate, type GatewayErrorCode, type GatewayFallback, type GatewaySource } from '../status';
import { CredentialError, gatewayCredential, type GatewayCredential } from './credential';
import { fallbackText } from './fallback';
import { findUserInstalls, nodeOnPath, type DiscoveryFacts } from './discover';
import { realFiles } from './files';
import { checkRuntime, nodeVersion } from './node-runtime';
import { openclawGateway, referenceGateway, type GatewayProgram, type OpenClawInstall } from './programs';
import { isOpenClawPackage, packageFromExecutable } from './shim';
import { readUserConfig, type Env } from './user-config';

/** Written by `npm run gateway:openclaw` into every gateway folder it prepares. */
export const GATEWAY_MANIFEST = 'pincer-gateway.json';

export interface GatewayManifest {
  openclawVersion: string;
  nodeVersion: string;
  /** Relative to the folder: the Node runtime and openclaw.mjs. */
  node: string;
  entry: string;
}

export interface GatewayLocations {
  /** Electron's process.resourcesPath when packaged. */
  resourcesPath?: string;
  /** Dev cache of `npm run gateway:openclaw` (e.g. ~/.cache/pincer/gateway). */
  cacheDir?: string;
  /** The bundled reference gateway entry (reference-gateway.cjs). */
  referenceEntry: string;
  referenceVersion: string;
  /** Where to look for the user's own OpenClaw (PATH, npm, Node managers); absent = not searched. */
  user?: DiscoveryFacts;
  /** The gateway's environment (without Pincer's token) and home: its config and credential come from them. */
  gatewayConfig?: { env: Env; home: string };
}

export class GatewayNotFoundError extends Error {
  readonly code: GatewayErrorCode;
  constructor(message: string, code: GatewayErrorCode = 'GATEWAY_NOT_FOUND') {
    super(message);
    this.name = 'GatewayNotFoundError';
    this.code = code;
  }
}

interface PackageFacts {
  version?: string;
  engines?: string;
}

function readPackage(dir: string): PackageFacts {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: unknown; engines?: { node?: unknown } };
    return {
      ...(typeof parsed.version === 'string' ? { version: parsed.version } : {}),
      ...(typeof parsed.engines?.node === 'string' ? { engines: parsed.engines.node } : {}),
    };
  } catch {
    return {};
  }
}

const HOST = { platform: process.platform, files: realFiles };

/** A plain (manifest-less) OpenClaw package folder as an install. */
function packageInstall(dir: string, source: GatewaySource, node?: string): OpenClawInstall {
  return { entry: path.join(dir, 'openclaw.mjs'), version: readPackage(dir).version, source, path: dir, ...(node ? { node } : {}) };
}

export function readGatewayFolder(folder: string, source: GatewaySource): OpenClawInstall | undefined {
  const manifestFile = path.join(folder, GATEWAY_MANIFEST);
  if (fs.existsSync(manifestFile)) {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as GatewayManifest;
    return {
      entry: path.join(folder, manifest.entry),
      node: path.join(folder, manifest.node),
      version: manifest.openclawVersion,
      source,
      path: path.dirname(path.join(folder, manifest.entry)),
    };
  }
  // Folders Pincer prepares always carry the manifest, written last: without it an install was
  // interrupted. Only a path the user chose may be a plain install: the package folder itself, a
  // folder holding node_modules/openclaw (an npm prefix's lib), or the `openclaw` executable.
  if (source !== 'settings') return undefined;
  if (isOpenClawPackage(folder, HOST)) return packageInstall(folder, source);
  const nested = path.join(folder, 'node_modules', 'openclaw');
  if (HOST.files.isFile(path.join(nested, 'package.json'))) return packageInstall(nested, source);
  if (HOST.files.isFile(folder)) {
    const target = packageFromExecutable(folder, HOST);
    if (target) return packageInstall(target.packageDir, source, target.node);
  }
  return undefined;
}

/** The Node a manifest-less install runs with: the settings' Node, its own (shim, manager), the Node on PATH. */
function runtimeFor(install: OpenClawInstall, settingsNode: string | undefined, user: DiscoveryFacts | undefined): OpenClawInstall {
  if (settingsNode) return { ...install, node: settingsNode };
  if (install.node || install.source === 'bundled' || install.source === 'cache') return install;
  const fromPath = user ? nodeOnPath(user) : undefined;
  return fromPath ? { ...install, node: fromPath } : install;
}

/** Refuses a runtime below the package's engines.node, naming both and the fix. */
function checkNode(install: OpenClawInstall): string | undefined {
  const engines = install.path && readPackage(install.path).engines;
  if (!install.node || !engines) return undefined;
  const version = nodeVersion(install.node);
  const verdict = checkRuntime({ node: install.node, version, engines, packageVersion: install.version });
  if (!verdict.ok) throw new GatewayNotFoundError(verdict.message, 'NODE_TOO_OLD');
  return version;
}

function credentialFor(where: GatewayLocations): { credential: GatewayCredential; configured: boolean; config?: ReturnType<typeof readUserConfig> } {
  if (!where.gatewayConfig) return { credential: { kind: 'pincer' }, configured: false };
  const config = readUserConfig(where.gatewayConfig.env, where.gatewayConfig.home);
  try {
    return { credential: gatewayCredential(config, where.gatewayConfig.env), configured: config.configured, config };
  } catch (error) {
    if (error instanceof CredentialError) throw new GatewayNotFoundError(error.message, 'AUTH_FAILED');
    throw error;
  }
}

const AUTH_KIND = { pincer: 'pincer-token', token: 'token', password: 'password', none: 'none' } as const;

export function resolveGateway(settings: Settings, where: GatewayLocations): GatewayProgram {
  const settingsNode = settings.nodePath || undefined;
  const candidates: GatewayCandidate[] = [];
  const reference = (fallback?: GatewayFallback) => {
    const program = referenceGateway(where.referenceEntry, where.referenceVersion, settingsNode);
    candidates.push({ source: 'reference', version: where.referenceVersion, chosen: true });
    return { ...program, details: { candidates, ...(fallback ? { fallback, fallbackReason: fallbackText(fallback) } : {}) } };
  };
  if (settings.gatewayKind === 'reference') return reference();

  const userInstalls = where.user ? findUserInstalls(where.user) : [];
  const places: Array<{ source: GatewaySource; folder?: string; install?: () => OpenClawInstall | undefined; via?: string }> = [
    { source: 'settings', folder: settings.openclawPath || undefined },
    { source: 'bundled', folder: where.resourcesPath && path.join(where.resourcesPath, 'openclaw') },
    ...userInstalls.map((found) => ({
      source: 'user' as const,
      folder: found.packageDir,
      via: found.via,
      install: () => packageInstall(found.packageDir, 'user', found.node),
    })),
    { source: 'cache', folder: where.cacheDir },
  ];
  for (const place of places) {
    if (!place.folder) continue;
    const install = place.install ? place.install() : readGatewayFolder(place.folder, place.source);
    if (!install) {
      if (place.source === 'settings') {
        throw new GatewayNotFoundError(
          `No OpenClaw install at ${place.folder} (expected the openclaw package folder, a folder holding node_modules/openclaw, the openclaw executable, or ${GATEWAY_MANIFEST}).`,
        );
      }
      candidates.push({ source: place.source, path: place.folder, note: CANDIDATE_NOT_INSTALLED });
      continue;
    }
    const runnable = runtimeFor(install, settingsNode, where.user);
    const nodeVersionFound = checkNode(runnable);
    const { credential, configured, config } = credentialFor(where);
    candidates.push({ source: place.source, path: install.path ?? place.folder, version: install.version, via: place.via, chosen: true });
    return openclawGateway(runnable, {
      credential,
      configured,
      details: {
        path: install.path ?? place.folder,
        via: place.via,
        ...(runnable.node ? { node: { path: runnable.node, ...(nodeVersionFound ? { version: nodeVersionFound } : {}) } } : {}),
        candidates,
        ...(config
          ? {
              config: {
                file: config.file,
                exists: config.exists,
                configured: config.configured,
                ...(config.problem ? { problem: config.problem } : {}),
                ...(config.port ? { port: config.port } : {}),
              },
            }
          : {}),
        auth: AUTH_KIND[credential.kind],
      },
    });
  }
  if (settings.gatewayKind === 'openclaw') {
    throw new GatewayNotFoundError(
      'OpenClaw is not installed: install it (`npm install -g openclaw`), set its path in settings, or run `npm run gateway:openclaw`.',
    );
  }
  const configExists = where.gatewayConfig ? readUserConfig(where.gatewayConfig.env, where.gatewayConfig.home).exists : false;
  return reference({ searched: where.user ? 'everywhere' : 'settings', configExists });
}
